/**
 * The Source API payload (`POST /sources.webhook`, body JSON, `Authorization: Bearer <source
 * token>`), and its mapping to Parley records. One request carries messages and metadata upserts
 * of one custom source, for any of its channels:
 *
 * ```json
 * {
 *   "messages": [{
 *     "source_message_id": "m-1",              // the message's id at the source: its idempotency key
 *     "source_conversation_id": "contact-42",  // the contact's id at the source (one contact per conversation)
 *     "source_channel_id": "account-1",        // the channel's id at the source (sources.channels.create)
 *     "sent_at": 1700000000000,                // epoch milliseconds, or an ISO-8601 string with a zone
 *     "content": { "text": "hello" },          // any JSON: stored as JSON text, never rewritten
 *     "from_contact": true,                    // false: a message of the business side (echo, other tool)
 *     "source_sender_id": "agent-7"            // optional, only for from_contact false (default: the source id)
 *   }],
 *   "metadata": [{
 *     "namespace": "conversation",             // or "message"
 *     "source_channel_id": "account-1",        // optional for a source with id scheme AIRY (Airy's shape)
 *     "source_id": "contact-42",               // the source_conversation_id or source_message_id it belongs to
 *     "metadata": { "contact": { "display_name": "Ada" } }  // nested; each leaf becomes one Metadata record
 *   }]
 * }
 * ```
 *
 * Airy Core's Source API took the same fields (`backend/components/sources-api`), but scoped
 * conversation and message ids by source; Parley scopes them by channel, like every source:
 * channel `channelId(sourceId, source_channel_id)`, conversation `conversationId(channel,
 * source_conversation_id)`, message `messageId(channel, source_message_id)` — unless the source
 * was created with Airy's id scheme (custom-ids.ts), whose metadata items also need no channel.
 * A retry or a replay of the same payload maps to the same records.
 */
import { channelId as deriveChannelId, flattenMetadata, metadataRecords, metadataSubject, type JsonObject, type Message, type Metadata, type SourceIdScheme } from '@parley/schemas';
import { z } from 'zod';
import { SourcesError } from '../errors.js';
import { parseJsonPayload } from '../parse-json-payload.js';
import { customConversationId, customMessageId } from './custom-ids.js';

/** Most items one request may carry (messages plus metadata entries). */
export const MAX_PAYLOAD_ITEMS = 1000;

// Ids derive Parley ids (UTF-8 hashes): a lone surrogate has no UTF-8 form, so it is refused here,
// before anything is stored, rather than failing the derivation after the append.
const id = z.string().min(1).max(1024).refine((s) => !/\p{Cs}/u.test(s), { message: 'must be well-formed Unicode (it has a lone surrogate)' });
const epochMs = z.number().int().nonnegative().max(8.64e15);
const isoDate = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

/** One inbound message of a custom source. */
export const customMessageSchema = z.object({
  source_message_id: id,
  source_conversation_id: id,
  source_channel_id: id,
  sent_at: z.union([epochMs, isoDate]),
  content: z.json(),
  from_contact: z.boolean(),
  source_sender_id: id.optional(),
});

/** One metadata upsert of a custom source. */
export const customMetadataSchema = z.object({
  namespace: z.enum(['conversation', 'message']),
  source_channel_id: id.optional(),
  source_id: id,
  metadata: z.record(z.string(), z.json()),
});

/** The body of `sources.webhook`. */
export const customPayloadSchema = z
  .object({
    messages: z.array(customMessageSchema).default([]),
    metadata: z.array(customMetadataSchema).default([]),
  })
  .refine((p) => p.messages.length + p.metadata.length > 0, { message: 'give at least one message or metadata entry', path: ['messages'] })
  .refine((p) => p.messages.length + p.metadata.length <= MAX_PAYLOAD_ITEMS, { message: `at most ${MAX_PAYLOAD_ITEMS} items per request`, path: ['messages'] });

export type CustomPayload = z.output<typeof customPayloadSchema>;
export type CustomMessageInput = z.output<typeof customMessageSchema>;
export type CustomMetadataInput = z.output<typeof customMetadataSchema>;

/**
 * Parses and validates a raw body for a source of id scheme `scheme`.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field (`messages.0.sent_at`).
 */
export function parseCustomPayload(rawBody: Buffer | string, scheme: SourceIdScheme = 'PARLEY'): CustomPayload {
  const payload = parseJsonPayload(customPayloadSchema, rawBody, 'body');
  assertMetadataKeys(payload, scheme);
  return payload;
}

/**
 * Checks what the schema cannot: every metadata document flattens to valid dotted keys, and
 * names its channel unless the source's ids are Airy's (which need none).
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the entry (`metadata.0.metadata`).
 */
export function assertMetadataKeys(payload: CustomPayload, scheme: SourceIdScheme = 'PARLEY'): void {
  payload.metadata.forEach((entry, i) => {
    if (scheme === 'PARLEY' && entry.source_channel_id === undefined) {
      throw new SourcesError('SOURCES_INVALID_PAYLOAD', `metadata.${i}.source_channel_id is required: this source's ids are scoped by channel`, { field: `metadata.${i}.source_channel_id` });
    }
    try {
      flattenMetadata(entry.metadata as JsonObject);
    } catch (cause) {
      throw new SourcesError('SOURCES_INVALID_PAYLOAD', `invalid metadata key at metadata.${i}.metadata: ${(cause as Error).message}`, { cause, field: `metadata.${i}.metadata` });
    }
  });
}

/**
 * One routable piece of a payload: a message or the records of one metadata upsert, for one
 * channel (null: a metadata item of an AIRY-scheme source that names none; it is written as is).
 */
export type RoutedItem =
  | { kind: 'message'; channelId: string; sourceChannelId: string; message: Message }
  | { kind: 'metadata'; channelId: string | null; sourceChannelId: string | null; records: Metadata[] };

/**
 * The records a payload of source `sourceId` (ids by `scheme`) maps to, per item, in payload order
 * (messages first). `receivedAt` (the raw record's timestamp, ms) stamps the metadata: the latest upsert wins.
 */
export function mapCustomPayload(sourceId: string, payload: CustomPayload, receivedAt: number, scheme: SourceIdScheme = 'PARLEY'): RoutedItem[] {
  const items: RoutedItem[] = payload.messages.map((m) => {
    const channelId = deriveChannelId(sourceId, m.source_channel_id);
    return { kind: 'message', channelId, sourceChannelId: m.source_channel_id, message: toMessage(sourceId, channelId, m, scheme) };
  });
  for (const entry of payload.metadata) {
    const sourceChannelId = entry.source_channel_id ?? null;
    const channelId = sourceChannelId === null ? null : deriveChannelId(sourceId, sourceChannelId);
    const subjectId = (entry.namespace === 'conversation' ? customConversationId : customMessageId)(scheme, sourceId, channelId, entry.source_id);
    const records = metadataRecords({ subject: metadataSubject(entry.namespace, subjectId), document: entry.metadata as JsonObject, timestamp: receivedAt });
    items.push({ kind: 'metadata', channelId, sourceChannelId, records });
  }
  return items;
}

function toMessage(sourceId: string, channelId: string, m: CustomMessageInput, scheme: SourceIdScheme): Message {
  return {
    id: customMessageId(scheme, sourceId, channelId, m.source_message_id),
    headers: null,
    senderType: m.from_contact ? 'CONTACT' : 'USER',
    // A conversation is with one contact, whose id at the source is the conversation's: the
    // connector reads it back from the contact's messages to address replies.
    senderId: m.from_contact ? m.source_conversation_id : (m.source_sender_id ?? sourceId),
    deliveryState: 'DELIVERED',
    conversationId: customConversationId(scheme, sourceId, channelId, m.source_conversation_id),
    channelId,
    source: sourceId,
    sourceRecipientId: null,
    content: JSON.stringify(m.content),
    sentAt: m.sent_at,
    updatedAt: null,
  };
}
