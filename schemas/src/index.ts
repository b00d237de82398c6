/**
 * `@parley/schemas`: Parley's messaging model as Avro schemas (avro/*.avsc) with the TypeScript
 * types generated from them, the topic names, deterministic ids and the metadata helpers.
 * A leaf package: it depends on nothing.
 */

// Records (generated from avro/*.avsc)
export type {
  Channel,
  ChannelConnectionState,
  DeliveryState,
  Message,
  Metadata,
  MetadataValueType,
  ReadReceipt,
  RecordName,
  RecordTypes,
  SenderType,
  Source,
  SourceIdScheme,
  Tag,
  TagColor,
  Template,
  User,
  Webhook,
  WebhookStatus,
} from './generated/records.js';
export {
  CHANNEL_CONNECTION_STATE_SYMBOLS,
  DELIVERY_STATE_SYMBOLS,
  METADATA_VALUE_TYPE_SYMBOLS,
  RECORD_NAMES,
  SENDER_TYPE_SYMBOLS,
  SOURCE_ID_SCHEME_SYMBOLS,
  TAG_COLOR_SYMBOLS,
  WEBHOOK_STATUS_SYMBOLS,
} from './generated/records.js';

// Schemas
export {
  CHANNEL_SCHEMA,
  MESSAGE_SCHEMA,
  METADATA_SCHEMA,
  PREVIOUS_SCHEMAS,
  READ_RECEIPT_SCHEMA,
  RECORD_SCHEMAS,
  SOURCE_SCHEMA,
  TAG_SCHEMA,
  TEMPLATE_SCHEMA,
  USER_SCHEMA,
  WEBHOOK_SCHEMA,
} from './generated/schemas.js';
export { writerSchemas } from './writer-schemas.js';
export type {
  AvroArraySchema,
  AvroEnumSchema,
  AvroFieldSchema,
  AvroLogicalSchema,
  AvroMapSchema,
  AvroNonUnionSchema,
  AvroRecordSchema,
  AvroSchemaJson,
  AvroTypeName,
} from './avro-schema.js';

// Topics
export {
  COMMUNICATION_TOPICS,
  SOURCE_EVENTS_TOPIC_CONFIG,
  SOURCE_EVENTS_TOPIC_PATTERN,
  sourceEventsTopic,
} from './topics.js';
export type { CleanupPolicy, CommunicationDataset, ModelTopic } from './topics.js';

// Ids
export { isCanonicalUuid } from './canonical-uuid.js';
export { channelId, contactId, conversationId, messageId, metadataId, nameBasedUuid } from './ids.js';

// Metadata
export type { JsonObject, JsonPrimitive, JsonValue } from './json-value.js';
export { findJsonLimitViolation, MAX_JSON_DEPTH } from './json-limits.js';
export type { JsonLimitViolation } from './json-limits.js';
export { METADATA_NAMESPACES, metadataSubject, parseMetadataSubject } from './metadata/metadata-subject.js';
export type { MetadataNamespace, MetadataSubject } from './metadata/metadata-subject.js';
export { assertMetadataKey, flattenMetadata, unflattenMetadata } from './metadata/dotted-keys.js';
export type { MetadataField } from './metadata/dotted-keys.js';
export { decodeMetadataValue, encodeMetadataValue } from './metadata/metadata-value.js';
export type { EncodedMetadataValue } from './metadata/metadata-value.js';
export { compareMetadataChanges, isMetadataTombstone, mergeMetadata } from './metadata/metadata-merge.js';
export type { MetadataChange, MetadataEntry, MetadataState, MetadataTombstone } from './metadata/metadata-merge.js';
export { metadataDocument } from './metadata/metadata-document.js';
export { metadataRecord, metadataRecords } from './metadata/metadata-records.js';
export type { MetadataRecordOptions, MetadataUpsertOptions } from './metadata/metadata-records.js';
export {
  CHANNEL_METADATA_KEYS,
  CONTACT_METADATA_KEYS,
  CONVERSATION_METADATA_KEYS,
  MESSAGE_METADATA_KEYS,
  contactConversationKey,
  conversationTagKey,
} from './metadata/metadata-keys.js';
