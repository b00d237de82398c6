/**
 * Topic names. The model lives in `application.communication.<dataset>` (lisp-case datasets);
 * raw provider payloads in `source.<provider>.events`, kept untouched so they can be routed
 * again after a router is fixed. Every topic that holds keyed state (the latest record per key
 * is the truth) is compacted, which is all model topics; Airy left `channels` uncompacted and
 * versioned the webhooks topic's name (`webhooks-v0.29.0`) instead of evolving its schema.
 *
 * `config` has the shape of `@parley/streams`' TopicConfig, so a descriptor can be passed to
 * `log.createTopics([{ name, config }])` as is.
 */
import type { RecordName } from './generated/records.js';

/** `compact` keeps the latest record per key (and honours tombstones); `delete` drops old segments. */
export type CleanupPolicy = 'compact' | 'delete';

/** A topic of the model: its name, how it is cleaned up, what its records are. */
export interface ModelTopic {
  name: string;
  config: { cleanupPolicy: CleanupPolicy };
  /** The Avro record of the values. */
  value: RecordName;
  /** What the record key is. */
  key: string;
}

/** The model's topics, by dataset. */
export const COMMUNICATION_TOPICS = Object.freeze({
  channels: topic('channels', 'Channel', 'channel id'),
  messages: topic('messages', 'Message', 'message id'),
  /** Conversation, message and channel metadata; a tombstone deletes an attribute. */
  metadata: topic('metadata', 'Metadata', 'metadataId(subject, key)'),
  /** Contact metadata (subject contact:<id>), apart so contact churn does not wake conversation read models. */
  contacts: topic('contacts', 'Metadata', 'metadataId(subject, key)'),
  readReceipts: topic('read-receipts', 'ReadReceipt', 'conversation id'),
  tags: topic('tags', 'Tag', 'tag id'),
  templates: topic('templates', 'Template', 'template id'),
  users: topic('users', 'User', 'user id'),
  sources: topic('sources', 'Source', 'source id'),
  webhooks: topic('webhooks', 'Webhook', 'webhook id'),
} as const satisfies Record<string, ModelTopic>);

/** The datasets of the model, e.g. `messages` or `readReceipts`. */
export type CommunicationDataset = keyof typeof COMMUNICATION_TOPICS;

/**
 * Config of the `source.<provider>.events` topics: never compacted (keys are random or per
 * account, every payload matters) and kept forever by default (`retentionMs` -1), since they are
 * what a fixed router reprocesses; operators may set a retention.
 */
export const SOURCE_EVENTS_TOPIC_CONFIG = Object.freeze({ cleanupPolicy: 'delete' as CleanupPolicy, retentionMs: -1 });

/** Matches every `source.<provider>.events` topic; the provider is capture group 1. */
export const SOURCE_EVENTS_TOPIC_PATTERN = /^source\.([a-z][a-z0-9-]*)\.events$/;

/**
 * `source.<provider>.events`, the topic of the raw webhook payloads of `provider` (the webhook
 * endpoint's owner: `facebook` carries Instagram too, `twilio` both SMS and WhatsApp).
 * @throws RangeError unless `provider` is lisp-case (`[a-z][a-z0-9-]*`), so names stay one segment.
 */
export function sourceEventsTopic(provider: string): string {
  if (typeof provider !== 'string' || !/^[a-z][a-z0-9-]*$/.test(provider)) {
    throw new RangeError(`provider must be lisp-case ([a-z][a-z0-9-]*), got ${JSON.stringify(provider)}`);
  }
  return `source.${provider}.events`;
}

function topic<const TDataset extends string, const TValue extends RecordName>(dataset: TDataset, value: TValue, key: string) {
  return Object.freeze({
    name: `application.communication.${dataset}` as const,
    config: Object.freeze({ cleanupPolicy: 'compact' as const }),
    value,
    key,
  });
}
