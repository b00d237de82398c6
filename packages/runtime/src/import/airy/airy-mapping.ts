/**
 * Airy Core records → Parley model records, one pure function per dataset. Ids are kept as they
 * are (Parley derives channel, conversation and message ids exactly as Airy did, §1.2), so links
 * from outside (webhook consumers, CRM notes) keep pointing at the same entities. What Parley's
 * model cannot hold is refused with a reason, never guessed.
 */
import {
  assertMetadataKey,
  COMMUNICATION_TOPICS,
  CONTACT_METADATA_KEYS,
  isCanonicalUuid,
  metadataId,
  parseMetadataSubject,
  type Channel,
  type Message,
  type Metadata,
  type MetadataValueType,
  type ReadReceipt,
  type Source,
  type Tag,
  type Template,
} from '@parley/schemas';
import type { AiryChannel, AiryMessage, AiryMetadata, AiryReadReceipt, AirySource, AiryTag, AiryTemplate, AiryValueType } from './airy-schemas.js';

/** One Parley record to write: its topic, key and value (null: a tombstone). */
export interface ParleyWrite {
  topic: string;
  key: string;
  record: Channel | Message | Metadata | ReadReceipt | Source | Tag | Template | null;
}

/** What became of one Airy record. `skipped`: deliberately left out; `bad`: Parley cannot hold it. */
export type MapResult = { outcome: 'mapped'; write: ParleyWrite } | { outcome: 'skipped' | 'bad'; reason: string };

const mapped = (topic: string, key: string, record: ParleyWrite['record']): MapResult => ({ outcome: 'mapped', write: { topic, key, record } });
const bad = (reason: string): MapResult => ({ outcome: 'bad', reason });

/** The first field of `ids` that is not a canonical UUID, as a reason; undefined when all are. */
function notUuid(ids: Record<string, string>): string | undefined {
  const field = Object.keys(ids).find((name) => !isCanonicalUuid(ids[name]));
  return field === undefined ? undefined : `${field} is not a lowercase canonical UUID`;
}

export function mapChannel(c: AiryChannel): MapResult {
  const wrong = notUuid({ id: c.id });
  if (wrong !== undefined) return bad(wrong);
  if (c.source === '' || c.sourceChannelId === '') return bad('source and sourceChannelId must not be empty');
  const record: Channel = { id: c.id, source: c.source, sourceChannelId: c.sourceChannelId, token: c.token, connectionState: c.connectionState };
  return mapped(COMMUNICATION_TOPICS.channels.name, c.id, record);
}

/** Airy's first schema told people from programs; later ones only contact or not. */
const SENDER_TYPES = { SOURCE_CONTACT: 'CONTACT', SOURCE_USER: 'USER', APP_USER: 'APP' } as const;

/** isFromContact becomes CONTACT, everything else USER (Airy stopped telling people from bots), unless the record has Airy's first senderType. */
export function mapMessage(m: AiryMessage): MapResult {
  const wrong = notUuid({ id: m.id, conversationId: m.conversationId, channelId: m.channelId });
  if (wrong !== undefined) return bad(wrong);
  const record: Message = {
    id: m.id,
    headers: m.headers,
    senderType: m.senderType !== undefined ? SENDER_TYPES[m.senderType] : m.isFromContact ? 'CONTACT' : 'USER',
    senderId: m.senderId,
    deliveryState: m.deliveryState,
    conversationId: m.conversationId,
    channelId: m.channelId,
    source: m.source,
    sourceRecipientId: m.sourceRecipientId,
    content: m.content,
    sentAt: m.sentAt,
    updatedAt: m.updatedAt,
  };
  return mapped(COMMUNICATION_TOPICS.messages.name, m.id, record);
}

const VALUE_TYPES: Record<AiryValueType, MetadataValueType> = { text: 'TEXT', number: 'NUMBER', bool: 'BOOLEAN', array: 'ARRAY', object: 'OBJECT', nullValue: 'NULL' };

/**
 * Airy's camelCase contact attributes → Parley's names, so contacts.info and contacts.list render
 * an imported contact's name, avatar and organisation. Airy's other contact keys (`title`,
 * `gender`, `created_at`, `via.*`, `conversations.*`, the rest of `address.*`) are Parley's already;
 * `mergeHistory` stays as Airy wrote it (Airy's own document shape, not Parley's `merge_history`).
 */
const AIRY_CONTACT_KEYS: ReadonlyMap<string, string> = new Map([
  ['displayName', CONTACT_METADATA_KEYS.displayName],
  ['avatarUrl', CONTACT_METADATA_KEYS.avatarUrl],
  ['organizationName', CONTACT_METADATA_KEYS.organizationName],
  [`${CONTACT_METADATA_KEYS.address}.organizationName`, `${CONTACT_METADATA_KEYS.address}.organization_name`],
]);

/** Keys Airy's unread counter derived; Parley derives the same from read receipts. */
const DERIVED_KEYS: ReadonlyMap<string, string> = new Map([['conversation:unread_count', 'derived: Parley counts unread messages from read receipts']]);

/**
 * A metadata attribute of a conversation, message, channel or contact. The record key becomes
 * Parley's `metadataId(subject, key)`; subject and key stay Airy's, except a contact's camelCase
 * attributes, which take Parley's names (AIRY_CONTACT_KEYS). Values are normalised to
 * Parley's text forms (Airy wrote numbers as doubles: `42.0` becomes `42`).
 */
export function mapMetadata(m: AiryMetadata, topic: string): MapResult {
  const subject = parseMetadataSubject(m.subject);
  if (subject === undefined) {
    const namespace = m.subject.split(':')[0]!;
    if (namespace === 'component') return { outcome: 'skipped', reason: 'component metadata: Airy installation state, not part of Parley' };
    return bad(`subject ${JSON.stringify(m.subject)} is not <conversation|message|channel|contact>:<uuid>`);
  }
  const derived = DERIVED_KEYS.get(`${subject.namespace}:${m.key}`);
  if (derived !== undefined) return { outcome: 'skipped', reason: derived };
  try {
    assertMetadataKey(m.key);
  } catch (err) {
    return bad((err as Error).message);
  }
  const value = normalisedValue(m.value, VALUE_TYPES[m.valueType]);
  if (value === undefined) return bad(`value does not read as ${m.valueType}`);
  const key = (subject.namespace === 'contact' ? AIRY_CONTACT_KEYS.get(m.key) : undefined) ?? m.key;
  const record: Metadata = { subject: m.subject, key, value, valueType: VALUE_TYPES[m.valueType], timestamp: m.timestamp };
  return mapped(topic, metadataId(m.subject, key), record);
}

function normalisedValue(text: string, type: MetadataValueType): string | undefined {
  if (type === 'TEXT') return text;
  if (type === 'NULL') return '';
  if (type === 'BOOLEAN') return text === 'true' || text === 'false' ? text : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (type === 'NUMBER') return typeof parsed === 'number' && Number.isFinite(parsed) ? JSON.stringify(parsed) : undefined;
  if (type === 'ARRAY') return Array.isArray(parsed) ? text : undefined;
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? text : undefined;
}

export function mapReadReceipt(r: AiryReadReceipt): MapResult {
  const wrong = notUuid({ conversationId: r.conversationId });
  if (wrong !== undefined) return bad(wrong);
  const record: ReadReceipt = { conversationId: r.conversationId, readAt: r.readDate, userId: null };
  return mapped(COMMUNICATION_TOPICS.readReceipts.name, r.conversationId, record);
}

export function mapSource(s: AirySource): MapResult {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(s.id)) return bad('id must be 1-100 characters of letters, digits, ".", "_" or "-"');
  // Airy's derivation of ids: the source's future events get the ids its imported history has.
  const record: Source = { id: s.id, token: s.token, name: s.name, imageUrl: s.imageUrl, actionEndpoint: s.actionEndpoint, idScheme: 'AIRY', createdAt: s.createdAt };
  return mapped(COMMUNICATION_TOPICS.sources.name, s.id, record);
}

export function mapTag(t: AiryTag): MapResult {
  const wrong = notUuid({ id: t.id });
  if (wrong !== undefined) return bad(wrong);
  const record: Tag = { id: t.id, name: t.name, color: t.color };
  return mapped(COMMUNICATION_TOPICS.tags.name, t.id, record);
}

export function mapTemplate(t: AiryTemplate): MapResult {
  const wrong = notUuid({ id: t.id });
  if (wrong !== undefined) return bad(wrong);
  const record: Template = { id: t.id, name: t.name, source: t.source, content: t.content };
  return mapped(COMMUNICATION_TOPICS.templates.name, t.id, record);
}
