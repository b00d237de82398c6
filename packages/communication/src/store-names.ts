/**
 * Names of the communication read model's state stores and internal topics. They are part of
 * the topology fingerprint and of the changelog topic names (`<applicationId>-<store>-changelog`),
 * so renaming one is an incompatible change: run the new topology under a new application id.
 */

/** The state stores of the communication topology, by role. */
export const COMMUNICATION_STORES = Object.freeze({
  /** message id → Message: the latest version of every message (an update rewrites it). */
  messages: 'messages',
  /** metadata record key → `{ subject, key }`: resolves a tombstone to the attribute it deletes. */
  metadataKeys: 'metadata-keys',
  /** subject (`conversation:<id>`, …) → its merged metadata state (tombstones kept). */
  metadata: 'metadata',
  /** conversation id → ConversationAggregate. */
  conversations: 'conversations',
  /** `<conversationId>\0<sentAt, 16 digits>\0<messageId>` → `{ contact }`: messages in order. */
  conversationMessages: 'conversation-messages',
  /** message id → sentAt as indexed: finds a message's entry when an update moves it. */
  messagePositions: 'message-positions',
  /** channel id → Channel. */
  channels: 'channels',
  /** tag id → Tag. */
  tags: 'tags',
  /** template id → Template. */
  templates: 'templates',
} as const);

export type CommunicationStoreName = (typeof COMMUNICATION_STORES)[keyof typeof COMMUNICATION_STORES];

/**
 * Repartitions (topic `<applicationId>-<name>-repartition`): the read model regroups messages
 * and read receipts by conversation, and metadata by subject.
 */
export const COMMUNICATION_REPARTITIONS = Object.freeze({
  /** Messages and read receipts, keyed by conversation id. */
  conversationEvents: 'conversation-events',
  /** Metadata changes, keyed by subject. */
  metadataChanges: 'metadata-changes',
  /** Merged conversation metadata documents, keyed by conversation id. */
  conversationMetadata: 'conversation-metadata',
} as const);
