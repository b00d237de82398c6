/**
 * Airy Core's Avro records on its `application.communication.*` topics (airyhq/airy
 * `backend/avro/*.avsc`, restated from the study in shared/reference/airy-core.md §2). They are
 * the importer's reader schemas and the tests' writer schemas: Airy wrote them through
 * Confluent's schema registry, and Avro binary carries no field names, so the field order here
 * is the wire format.
 */

import type { Channel, Source, Tag, Template } from '@parley/schemas';

const NAMESPACE = 'co.airy.avro.communication';
const nullable = (type: string | object) => ({ type: ['null', type], default: null });

export const AIRY_CHANNEL_SCHEMA = {
  type: 'record',
  name: 'Channel',
  namespace: NAMESPACE,
  fields: [
    { name: 'id', type: 'string' },
    { name: 'source', type: 'string' },
    { name: 'sourceChannelId', type: 'string' },
    { name: 'token', ...nullable('string') },
    { name: 'connectionState', type: { type: 'enum', name: 'ChannelConnectionState', symbols: ['CONNECTED', 'DISCONNECTED'] } },
  ],
} as const;

/** The fields every version of Airy's Message has, in their order around the ones that changed. */
const MESSAGE_HEAD = [
  { name: 'id', type: 'string' },
  { name: 'headers', ...nullable({ type: 'map', values: 'string' }) },
] as const;
const DELIVERY_STATE = { name: 'deliveryState', type: { type: 'enum', name: 'DeliveryState', symbols: ['PENDING', 'FAILED', 'DELIVERED'] } } as const;
const MESSAGE_TAIL = [
  { name: 'conversationId', type: 'string' },
  { name: 'channelId', type: 'string' },
  { name: 'source', type: 'string' },
  { name: 'content', type: 'string' },
  { name: 'sentAt', type: 'long' },
  { name: 'updatedAt', ...nullable('long') },
] as const;

export const AIRY_MESSAGE_SCHEMA = {
  type: 'record',
  name: 'Message',
  namespace: NAMESPACE,
  fields: [
    ...MESSAGE_HEAD,
    { name: 'isFromContact', type: 'boolean' },
    DELIVERY_STATE,
    { name: 'senderId', type: 'string' },
    { name: 'sourceRecipientId', ...nullable('string') },
    ...MESSAGE_TAIL,
  ],
} as const;

/**
 * Airy's first Message schema (2020): `senderType` where later versions have `isFromContact`,
 * and no `sourceRecipientId`. Compacted topics of long-running installations still hold records
 * written with it (a message never updated since is never rewritten).
 */
export const AIRY_MESSAGE_SCHEMA_SENDER_TYPE = {
  type: 'record',
  name: 'Message',
  namespace: NAMESPACE,
  fields: [
    ...MESSAGE_HEAD,
    { name: 'senderType', type: { type: 'enum', name: 'SenderType', symbols: ['SOURCE_CONTACT', 'SOURCE_USER', 'APP_USER'] } },
    DELIVERY_STATE,
    { name: 'senderId', type: 'string' },
    ...MESSAGE_TAIL,
  ],
} as const;

/** Also the value of `application.communication.contacts` (subject `contact:<id>`). */
export const AIRY_METADATA_SCHEMA = {
  type: 'record',
  name: 'Metadata',
  namespace: NAMESPACE,
  fields: [
    { name: 'subject', type: 'string' },
    { name: 'key', type: 'string' },
    { name: 'value', type: 'string' },
    { name: 'valueType', type: { type: 'enum', name: 'ValueType', symbols: ['text', 'array', 'object', 'number', 'bool', 'nullValue'] }, default: 'text' },
    { name: 'timestamp', type: 'long' },
  ],
} as const;

export const AIRY_READ_RECEIPT_SCHEMA = {
  type: 'record',
  name: 'ReadReceipt',
  namespace: NAMESPACE,
  fields: [
    { name: 'conversationId', type: 'string' },
    { name: 'readDate', type: 'long' },
  ],
} as const;

export const AIRY_SOURCE_SCHEMA = {
  type: 'record',
  name: 'Source',
  namespace: NAMESPACE,
  fields: [
    { name: 'id', type: 'string' },
    { name: 'token', type: 'string' },
    { name: 'name', ...nullable('string') },
    { name: 'imageUrl', ...nullable('string') },
    { name: 'actionEndpoint', ...nullable('string') },
    { name: 'createdAt', type: 'long' },
  ],
} as const;

export const AIRY_TAG_SCHEMA = {
  type: 'record',
  name: 'Tag',
  namespace: NAMESPACE,
  fields: [
    { name: 'id', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'color', type: { type: 'enum', name: 'TagColor', symbols: ['RED', 'GREEN', 'BLUE', 'PURPLE'] } },
  ],
} as const;

export const AIRY_TEMPLATE_SCHEMA = {
  type: 'record',
  name: 'Template',
  namespace: NAMESPACE,
  fields: [
    { name: 'id', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'source', type: 'string' },
    { name: 'content', type: 'string' },
  ],
} as const;

export interface AiryMessage {
  id: string;
  headers: Record<string, string> | null;
  isFromContact: boolean;
  deliveryState: 'PENDING' | 'FAILED' | 'DELIVERED';
  senderId: string;
  sourceRecipientId: string | null;
  conversationId: string;
  channelId: string;
  source: string;
  content: string;
  sentAt: number;
  updatedAt: number | null;
  /** Only in records written with AIRY_MESSAGE_SCHEMA_SENDER_TYPE (then isFromContact is derived from it). */
  senderType?: 'SOURCE_CONTACT' | 'SOURCE_USER' | 'APP_USER';
}

export type AiryValueType = 'text' | 'array' | 'object' | 'number' | 'bool' | 'nullValue';

export interface AiryMetadata {
  subject: string;
  key: string;
  value: string;
  valueType: AiryValueType;
  timestamp: number;
}

export interface AiryReadReceipt {
  conversationId: string;
  readDate: number;
}

/**
 * Channels, tags and templates decode to exactly the shape of Parley's records (Parley kept
 * Airy's); should Parley's evolve, Airy's get their own declarations here. Sources did: Parley's
 * also say how their ids are derived (`idScheme`), which Airy's never needed.
 */
export type AiryChannel = Channel;
export type AirySource = Omit<Source, 'idScheme'>;
export type AiryTag = Tag;
export type AiryTemplate = Template;
