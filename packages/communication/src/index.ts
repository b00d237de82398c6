/**
 * `@parley/communication`: the communication domain. The topology that derives conversations
 * from messages, metadata, read receipts and channels; the query layer over it (the read model);
 * the command writers that append to the model topics; read-your-writes; the serdes of the model
 * topics. It imports `@parley/schemas` and `@parley/streams` only. See README.md.
 */

// Errors
export { CommunicationError, isCommunicationError, COMMUNICATION_ERROR_CODES } from './errors.js';
export type { CommunicationErrorCode, CommunicationErrorOptions } from './errors.js';

// Topology
export { addCommunicationTopology, buildCommunicationTopology } from './topology/communication-topology.js';
export type { CommunicationTopologyOptions } from './topology/communication-topology.js';
export { communicationTopologyDefinition, COMMUNICATION_INPUT_DATASETS } from './communication-definition.js';
export type { CommunicationDefinitionOptions, CommunicationTopologyDefinition } from './communication-definition.js';
export type { CommunicationListener } from './topology/communication-listener.js';
export type { ConversationAggregate } from './topology/conversation-aggregate.js';
export type { ConversationEvent } from './topology/conversation-event.js';
export { COMMUNICATION_REPARTITIONS, COMMUNICATION_STORES } from './store-names.js';
export type { CommunicationStoreName } from './store-names.js';
export { communicationSerdes } from './serdes.js';
export type { CommunicationSerdes, MetadataKeyRef } from './serdes.js';
export { modelSerdes } from './model-serdes.js';
export type { ModelSerdes } from './model-serdes.js';
export { conversationKeyRange, messageOrderKey } from './topology/message-order-key.js';

// The JSON shapes the read model renders, as zod schemas (request and response contracts of the HTTP API)
export { channelSchema, contactSchema, conversationSchema, jsonObject, jsonValue, listSchema, messageSchema, parleyId, shortText, tagSchema, TAG_COLORS, templateSchema } from './json-schemas.js';

// Query layer
export { CommunicationReadModel } from './read-model/communication-read-model.js';
export { buildCommunicationReplicaTopology, REPLICATED_STORES } from './read-model/replica-topology.js';
export type { ReplicaTopologyOptions } from './read-model/replica-topology.js';
export { ReplicaBarrier } from './read-model/replica-barrier.js';
export type { ReplicaBarrierOptions, ReplicaProgress } from './read-model/replica-barrier.js';
export type { StoreProvider } from './read-model/store-provider.js';
export type { ConversationFilters } from './read-model/conversation-filters.js';
export type { ChannelListQuery, ConversationListQuery } from './read-model/conversation-queries.js';
export type { MessageListQuery } from './read-model/message-queries.js';
export type { TemplateListQuery } from './read-model/catalog-queries.js';
export { ContactIndex, isLiveContact } from './read-model/contact-index.js';
export type { IndexedContact } from './read-model/contact-index.js';
export { renderContactState } from './read-model/contact-queries.js';
export { toMetadataState } from './topology/metadata-aggregator.js';
export type { ContactJson, RecentMessagesQuery } from './read-model/contact-queries.js';
export { DEFAULT_PAGE_SIZE } from './read-model/page.js';
export { decodeCursor, decodeOpaqueCursor, encodeCursor, encodeOpaqueCursor } from './read-model/cursor.js';
export type { CursorKind, CursorTarget, Position } from './read-model/cursor.js';
export type { CommunicationPage } from './read-model/page.js';
export { defaultDisplayName, renderChannel, renderMessage, renderTag, renderTemplate } from './read-model/render.js';
export type { ChannelJson, ConversationJson, MessageJson, TagJson, TemplateJson } from './read-model/render.js';

// Commands
export { DEFAULT_CONVERSATION_WAIT_MS } from './commands/command-context.js';
export { requireConversation } from './commands/command-context.js';
export type { CommandContext, WriteResult } from './commands/command-context.js';
export { resendMessage } from './commands/resend-message.js';
export { sendMessage } from './commands/send-message.js';
export type { SendMessageOptions, SendMessageResult } from './commands/send-message.js';
export {
  markConversationRead,
  removeConversationState,
  setConversationState,
  tagConversation,
  untagConversation,
  updateContactDisplayName,
} from './commands/conversation-commands.js';
export type { MarkReadOptions, TagOptions } from './commands/conversation-commands.js';
export { removeMetadata, upsertMetadata, writeMetadata } from './commands/metadata-commands.js';
export type { MetadataWrite, RemoveMetadataOptions, UpsertMetadataOptions } from './commands/metadata-commands.js';
export { DEFAULT_SUGGESTION_LIMIT, matchTemplates, suggestReplies } from './commands/suggest-replies.js';
export type { SuggestRepliesOptions } from './commands/suggest-replies.js';
export { contactMergeWrites, createContact, deleteContact, mergeContacts, updateContact } from './commands/contact-commands.js';
export type { ContactFields, ContactMerge, ContactWriteResult, CreateContactOptions } from './commands/contact-commands.js';
export { createTag, createTemplate, deleteTag, deleteTemplate, updateTag, updateTemplate } from './commands/catalog-commands.js';
export { DEFAULT_WAIT_FOR_OFFSETS_MS, waitForLogProcessed, waitForOffsets } from './commands/wait-for-offsets.js';
export type { ProcessingProgress } from './commands/wait-for-offsets.js';
