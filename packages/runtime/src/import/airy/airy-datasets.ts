/**
 * The Airy topics the importer reads, each with its reader schema, the mapping onto Parley's
 * model and the order of writing (channels before the messages that name them). Users and
 * webhooks are not imported: Parley's users come from its own logins, and Airy's webhooks hold
 * signing keys and a Beanstalkd-era delivery model (see docs/migration-from-airy.md).
 */
import { COMMUNICATION_TOPICS } from '@parley/schemas';
import {
  AIRY_CHANNEL_SCHEMA,
  AIRY_MESSAGE_SCHEMA,
  AIRY_MESSAGE_SCHEMA_SENDER_TYPE,
  AIRY_METADATA_SCHEMA,
  AIRY_READ_RECEIPT_SCHEMA,
  AIRY_SOURCE_SCHEMA,
  AIRY_TAG_SCHEMA,
  AIRY_TEMPLATE_SCHEMA,
  type AiryChannel,
  type AiryMessage,
  type AiryMetadata,
  type AiryReadReceipt,
  type AirySource,
  type AiryTag,
  type AiryTemplate,
} from './airy-schemas.js';
import { mapChannel, mapMessage, mapMetadata, mapReadReceipt, mapSource, mapTag, mapTemplate, type MapResult } from './airy-mapping.js';

export interface AiryDataset {
  /** Airy's topic, without the installation's namespace prefix. */
  topic: string;
  /** Parley's topic it is written to. */
  target: string;
  schema: object;
  /** Older Airy versions of the schema, tried when no schema registry names the writer's. */
  legacy?: readonly object[];
  /** Brings a record of an older version to the current shape (fields added since already hold their defaults). */
  upgrade?: (value: Record<string, unknown>) => Record<string, unknown>;
  /** The Parley write for one decoded Airy record (typed per dataset; the reader checked it against `schema`). */
  map(value: unknown): MapResult;
}

const airyTopic = (dataset: string) => `application.communication.${dataset}`;

/** In the order they are written. */
export const AIRY_DATASETS: readonly AiryDataset[] = [
  { topic: airyTopic('channels'), target: COMMUNICATION_TOPICS.channels.name, schema: AIRY_CHANNEL_SCHEMA, map: (v) => mapChannel(v as AiryChannel) },
  { topic: airyTopic('sources'), target: COMMUNICATION_TOPICS.sources.name, schema: AIRY_SOURCE_SCHEMA, map: (v) => mapSource(v as AirySource) },
  { topic: airyTopic('tags'), target: COMMUNICATION_TOPICS.tags.name, schema: AIRY_TAG_SCHEMA, map: (v) => mapTag(v as AiryTag) },
  { topic: airyTopic('templates'), target: COMMUNICATION_TOPICS.templates.name, schema: AIRY_TEMPLATE_SCHEMA, map: (v) => mapTemplate(v as AiryTemplate) },
  {
    topic: airyTopic('messages'),
    target: COMMUNICATION_TOPICS.messages.name,
    schema: AIRY_MESSAGE_SCHEMA,
    legacy: [AIRY_MESSAGE_SCHEMA_SENDER_TYPE],
    upgrade: upgradeMessage,
    map: (v) => mapMessage(v as AiryMessage),
  },
  { topic: airyTopic('metadata'), target: COMMUNICATION_TOPICS.metadata.name, schema: AIRY_METADATA_SCHEMA, map: (v) => mapMetadata(v as AiryMetadata, COMMUNICATION_TOPICS.metadata.name) },
  { topic: airyTopic('contacts'), target: COMMUNICATION_TOPICS.contacts.name, schema: AIRY_METADATA_SCHEMA, map: (v) => mapMetadata(v as AiryMetadata, COMMUNICATION_TOPICS.contacts.name) },
  { topic: airyTopic('read-receipt'), target: COMMUNICATION_TOPICS.readReceipts.name, schema: AIRY_READ_RECEIPT_SCHEMA, map: (v) => mapReadReceipt(v as AiryReadReceipt) },
];

/** Airy's first Message schema had senderType where later ones have isFromContact (mapMessage keeps senderType's detail). */
function upgradeMessage(value: Record<string, unknown>): Record<string, unknown> {
  return 'senderType' in value && !('isFromContact' in value) ? { ...value, isFromContact: value.senderType === 'SOURCE_CONTACT' } : value;
}
