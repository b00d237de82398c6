/**
 * WhatsApp Cloud API webhook bodies → Parley records (the router's pure core).
 *
 * Envelope: `{ "object": "whatsapp_business_account", "entry": [{ "id": WABA_ID, "changes": [{
 * "field": "messages", "value": { "metadata": { "phone_number_id" }, "contacts": [{ "profile":
 * { "name" }, "wa_id" }], "messages": [...], "statuses": [...] } }] }] }`. Each change belongs to
 * the channel `channelId("whatsapp", phone_number_id)` (Airy Core's id):
 *
 * | element | item |
 * |---|---|
 * | `messages[]` of type text, image/video/audio/document/sticker, location, contacts, interactive (button_reply, list_reply), button | Message, CONTACT, `senderId` = `from` (wa_id), conversation `conversationId(channel, from)`; interactive and button replies also get header `postback.payload` (the reply id or payload) |
 * | `contacts[].profile.name` | conversation metadata `contact.display_name` of the sender's conversation |
 * | `messages[]` of type reaction | a reaction: message metadata `reaction.emoji`, `reaction.sent_at` of the message it names — Parley's own by wamid (the router), else the inbound one (an empty emoji removes them) |
 * | `statuses[]` (sent, delivered, read, failed) | a status: applied by the router to the outbound message it names (see router.ts) |
 *
 * Message ids are Airy Core's: `nameBasedUuid("", wamid)` (its `UUIDv5.fromName(wamid)`), so
 * history from an Airy installation maps to the same messages; a webhook delivered twice is
 * stored once. `content` is the one `messages[]` element's JSON, `sentAt` its `timestamp` × 1000.
 */
import { channelId as deriveChannelId, CONVERSATION_METADATA_KEYS, conversationId as deriveConversationId, metadataRecord, metadataSubject, nameBasedUuid, type Message, type Metadata } from '@parley/schemas';
import { z } from 'zod';
import { SourcesError } from '../errors.js';
import type { MetaReaction } from '../meta-graph/index.js';
import { parseJsonPayload } from '../parse-json-payload.js';
import { WHATSAPP_SOURCE } from './whatsapp-topics.js';

/** Most entries one webhook call may carry (Meta batches up to 1000 updates). */
export const MAX_ENTRIES = 1000;

const id = z.string().min(1).max(256).regex(/^[0-9A-Za-z_.:=+/-]+$/, 'must be a WhatsApp id');

const changeValue = z.object({
  metadata: z.object({ phone_number_id: id }).optional(),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

/** The envelope the webhook validates before storing anything; elements are checked one by one in the router. */
export const whatsappEnvelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(z.object({ id, changes: z.array(z.object({ field: z.string(), value: changeValue })).min(1) }))
    .min(1)
    .max(MAX_ENTRIES),
});
export type WhatsAppEnvelope = z.output<typeof whatsappEnvelopeSchema>;

/**
 * Parses and validates a webhook body's envelope.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field.
 */
export function parseWhatsAppEnvelope(rawBody: Buffer | string): WhatsAppEnvelope {
  return parseJsonPayload(whatsappEnvelopeSchema, rawBody, 'body');
}

/** WhatsApp's seconds as a string ("1700000000") or number → milliseconds. */
const seconds = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative().max(8.64e12)]).transform((s) => Number(s) * 1000);
const contactSchema = z.object({ wa_id: id, profile: z.object({ name: z.string().max(1024).optional() }).optional() });
const messageSchema = z.object({
  id,
  from: id,
  timestamp: seconds,
  type: z.string().min(1).max(64),
  interactive: z.object({ button_reply: z.object({ id: z.string() }).optional(), list_reply: z.object({ id: z.string() }).optional() }).optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  reaction: z.object({ message_id: id, emoji: z.string().optional() }).optional(),
});
const statusSchema = z.object({
  id,
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: seconds,
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() }).loose()).optional(),
});
export type WhatsAppStatus = z.output<typeof statusSchema>;

/** A dead letter as written to `source.whatsapp.dead-letters` (JSON). */
export interface WhatsAppDeadLetter {
  code: 'SOURCES_INVALID_PAYLOAD' | 'SOURCES_CHANNEL_NOT_FOUND';
  reason: string;
  phone_number_id: string;
  /** The element (or the raw body when it did not parse). */
  event: unknown;
}

/** One routable piece of a webhook body. */
export type WhatsAppItem =
  | { kind: 'message'; channelId: string; phoneNumberId: string; message: Message }
  | { kind: 'metadata'; channelId: string; phoneNumberId: string; records: Metadata[] }
  | { kind: 'tombstones'; channelId: string; phoneNumberId: string; keys: string[] }
  /** A reaction to the message `wamid` (the router finds Parley's own by wamid, else the inbound one). */
  | { kind: 'reaction'; channelId: string; phoneNumberId: string; wamid: string; reaction: MetaReaction }
  /** The status of an outbound message, by its wamid. */
  | { kind: 'status'; channelId: string; phoneNumberId: string; status: WhatsAppStatus }
  | { kind: 'dead'; letter: WhatsAppDeadLetter };

/** The Parley id of an inbound WhatsApp message (Airy Core's `UUIDv5.fromName(wamid)`). */
export function whatsappMessageId(wamid: string): string {
  return nameBasedUuid('', wamid);
}

/** Every item a raw webhook body maps to, in order; what does not parse becomes a dead letter. */
export function mapWhatsAppWebhook(rawBody: Buffer, keyPhoneNumberId: string): WhatsAppItem[] {
  let envelope: WhatsAppEnvelope;
  try {
    envelope = parseWhatsAppEnvelope(rawBody);
  } catch (err) {
    if (!(err instanceof SourcesError)) throw err;
    return [{ kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: err.message, phone_number_id: keyPhoneNumberId, event: rawBody.toString('utf8') } }];
  }
  const items: WhatsAppItem[] = [];
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      const { value } = change;
      const phoneNumberId = value.metadata?.phone_number_id;
      if (phoneNumberId === undefined) {
        if ((value.messages?.length ?? 0) + (value.statuses?.length ?? 0) > 0) {
          items.push({ kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: 'a change with messages or statuses needs metadata.phone_number_id', phone_number_id: keyPhoneNumberId, event: value } });
        }
        continue;
      }
      items.push(...mapChange(phoneNumberId, value));
    }
  }
  return items;
}

function mapChange(phoneNumberId: string, value: z.output<typeof changeValue>): WhatsAppItem[] {
  const channelId = deriveChannelId(WHATSAPP_SOURCE, phoneNumberId);
  const dead = (what: string, event: unknown, error: z.ZodError): WhatsAppItem => {
    const issue = error.issues[0]!;
    return { kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: `${what}: ${issue.path.join('.')}: ${issue.message}`, phone_number_id: phoneNumberId, event } };
  };
  const names = new Map<string, string>();
  for (const c of value.contacts ?? []) {
    const parsed = contactSchema.safeParse(c);
    if (parsed.success && parsed.data.profile?.name !== undefined && parsed.data.profile.name.trim() !== '') names.set(parsed.data.wa_id, parsed.data.profile.name.trim());
  }
  const items: WhatsAppItem[] = [];
  for (const element of value.messages ?? []) {
    const parsed = messageSchema.safeParse(element);
    if (!parsed.success) {
      items.push(dead('message', element, parsed.error));
      continue;
    }
    const m = parsed.data;
    const conversationId = deriveConversationId(channelId, m.from);
    if (m.type === 'reaction' && m.reaction !== undefined) {
      const emoji = m.reaction.emoji ?? '';
      items.push({ kind: 'reaction', channelId, phoneNumberId, wamid: m.reaction.message_id, reaction: { mid: m.reaction.message_id, action: emoji === '' ? 'unreact' : 'react', emoji, timestamp: m.timestamp } });
      continue;
    }
    const reply = m.interactive?.button_reply?.id ?? m.interactive?.list_reply?.id ?? m.button?.payload ?? m.button?.text;
    const message: Message = {
      id: whatsappMessageId(m.id),
      headers: reply === undefined ? null : { 'postback.payload': reply === '' ? '__empty__' : reply },
      senderType: 'CONTACT',
      senderId: m.from,
      deliveryState: 'DELIVERED',
      conversationId,
      channelId,
      source: WHATSAPP_SOURCE,
      sourceRecipientId: null,
      content: JSON.stringify(element),
      sentAt: m.timestamp,
      updatedAt: null,
    };
    items.push({ kind: 'message', channelId, phoneNumberId, message });
    const name = names.get(m.from);
    if (name !== undefined) {
      items.push({
        kind: 'metadata',
        channelId,
        phoneNumberId,
        records: [metadataRecord({ subject: metadataSubject('conversation', conversationId), key: CONVERSATION_METADATA_KEYS.contactDisplayName, value: name, timestamp: m.timestamp })],
      });
    }
  }
  for (const element of value.statuses ?? []) {
    const parsed = statusSchema.safeParse(element);
    items.push(parsed.success ? { kind: 'status', channelId, phoneNumberId, status: parsed.data } : dead('status', element, parsed.error));
  }
  return items;
}
