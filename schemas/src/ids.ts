/**
 * Deterministic ids. Every id Parley derives from provider data is a name-based UUID, so a
 * provider retry, a replayed webhook or a reprocessed topic yields the same id and, on compacted
 * topics, overwrites the same record instead of adding a duplicate.
 *
 * Two layers:
 * - `nameBasedUuid(namespace, name)` is Airy Core's "UUIDv5": SHA-1 over the UTF-8 of
 *   `namespace + name` (plain concatenation), first 16 bytes, version 5, RFC 4122 variant.
 * - Channel, conversation and message ids are exactly Airy Core's (`nameBasedUuid(source,
 *   sourceChannelId)`, `nameBasedUuid(channelId, …)`), so data from an existing Airy
 *   installation and replays of its topics map to the same ids. For conversations and messages
 *   the namespace is a channel id, a fixed-length canonical UUID, so concatenation cannot be
 *   ambiguous. For channels the namespace is a source name: two sources collide only if one
 *   name is a prefix of the other and the account ids line up, which is why custom source ids
 *   must not start with another source's name (checked where sources are created).
 * - Ids Airy Core did not derive (`contactId`, `metadataId`) hash distinct strings for distinct
 *   inputs: namespace `parley.<kind>`, name = each part as `<UTF-8 byte length>:<part>`.
 */
import { hash } from 'node:crypto';
import { isCanonicalUuid } from './canonical-uuid.js';
import { assertMetadataKey } from './metadata/dotted-keys.js';
import { parseMetadataSubject } from './metadata/metadata-subject.js';

// With the u flag a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Airy Core's name-based UUID (see the file comment): SHA-1 of the UTF-8 of `namespace + name`,
 * shaped as a version-5 UUID. Not RFC 4122 v5 (no namespace-UUID bytes are hashed). Prefer the
 * named derivations below; this is exported for compatibility and for ids of a single input
 * (`nameBasedUuid('', name)` is Airy's `fromName(name)`).
 * @returns a lowercase canonical UUID string.
 */
export function nameBasedUuid(namespace: string, name: string): string {
  if (typeof namespace !== 'string' || typeof name !== 'string') {
    throw new TypeError('nameBasedUuid: namespace and name must be strings');
  }
  // The one-shot crypto.hash: about a third of createHash's cost for inputs this small (hot: every routed message derives three ids).
  const bytes = hash('sha1', namespace + name, 'buffer').subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the channel for account `sourceChannelId` (page id, phone number, …) on `source`
 * (`facebook`, `twilio.sms`, a custom source's id, …). Connecting the same account again yields
 * the same channel.
 */
export function channelId(source: string, sourceChannelId: string): string {
  return nameBasedUuid(text('source', source), text('sourceChannelId', sourceChannelId));
}

/**
 * The id of the conversation with the contact `sourceConversationId` (the contact's id at the
 * source: PSID, phone number, …) on channel `channelId`. The one derivation for inbound and
 * outbound: a reply to a new recipient lands in the conversation their first inbound message
 * will use. `channelId` must be a Parley channel id (a canonical UUID), so passing a source name
 * or provider id by mistake throws instead of silently forking the conversation.
 */
export function conversationId(channelId: string, sourceConversationId: string): string {
  return nameBasedUuid(uuid('channelId', channelId), text('sourceConversationId', sourceConversationId));
}

/**
 * The id of an inbound message on channel `channelId`: `sourceMessageId` is the provider's
 * message id, or, for providers without one, the raw payload (any byte change then makes a new
 * message, while a retried delivery of the same payload does not).
 */
export function messageId(channelId: string, sourceMessageId: string): string {
  return nameBasedUuid(uuid('channelId', channelId), text('sourceMessageId', sourceMessageId));
}

/** The id of the contact Parley creates for a conversation (one contact per conversation until merged). */
export function contactId(conversationId: string): string {
  return derivedId('contact', [uuid('conversationId', conversationId)]);
}

/**
 * The record key of one metadata attribute: metadata of subject `subject`
 * (`conversation:<id>`, …) under dotted key `key`. A later value for the same attribute
 * overwrites it on the compacted topic; a tombstone under it deletes the attribute.
 */
export function metadataId(subject: string, key: string): string {
  if (parseMetadataSubject(subject) === undefined) {
    throw new RangeError(`subject must be <namespace>:<id>, got ${JSON.stringify(subject)}`);
  }
  assertMetadataKey(key);
  return derivedId('metadata', [subject, text('key', key)]);
}

type IdKind = 'contact' | 'metadata';

function derivedId(kind: IdKind, parts: readonly string[]): string {
  const name = parts.map((part) => `${Buffer.byteLength(part, 'utf8')}:${part}`).join('');
  return nameBasedUuid(`parley.${kind}`, name);
}

/** A non-empty, well-formed string (a lone surrogate would encode like U+FFFD and collide with it). */
function text(label: string, value: string): string {
  if (typeof value !== 'string') throw new TypeError(`${label} must be a string`);
  if (value === '') throw new RangeError(`${label} must not be empty`);
  if (LONE_SURROGATE.test(value)) throw new RangeError(`${label} must be well-formed Unicode (it has a lone surrogate)`);
  return value;
}

function uuid(label: string, value: string): string {
  if (typeof value !== 'string') throw new TypeError(`${label} must be a string`);
  if (!isCanonicalUuid(value)) {
    throw new RangeError(`${label} must be a Parley id (a lowercase canonical UUID), got ${JSON.stringify(value)}`);
  }
  return value;
}
