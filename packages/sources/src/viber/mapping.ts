/**
 * Viber's callbacks (REST Bot API, https://developers.viber.com/docs/api/rest-bot-api/#callbacks),
 * POSTed as JSON to the bot's webhook with `X-Viber-Content-Signature`:
 *
 * ```json
 * { "event": "message", "timestamp": 1457764197627, "chat_hostname": "SN-376_",
 *   "message_token": 4912661846655238145,
 *   "sender": { "id": "01234567890A=", "name": "John", "avatar": "https://…", "country": "UK", "language": "en", "api_version": 1 },
 *   "message": { "type": "text", "text": "hi", "tracking_data": "…" } }
 * ```
 *
 * `conversation_started` and `subscribed` carry `user` instead of `sender`; `unsubscribed`,
 * `delivered`, `seen` and `failed` carry `user_id` (and `failed` a `desc`); `webhook` is the
 * URL check Viber sends when the webhook is set. `message_token` is a 64-bit integer: it is read
 * losslessly (viber-json.ts) and used as its decimal text.
 *
 * Ids: the channel is `channelId("viber", <bot account id>)`, a conversation
 * `conversationId(channel, <user id>)` (a Viber user id is unique per bot), an inbound message
 * `messageId(channel, <message_token>)`: Viber's retries and replays of the raw topic rewrite the
 * same records. Airy keyed messages by `UUIDv5("viber", token)` and attached delivery callbacks
 * to that id, which no outbound message had; here they go to the message the connector sent with
 * that token (topology.ts).
 */
import {
  CONVERSATION_METADATA_KEYS,
  conversationId as deriveConversationId,
  messageId as deriveMessageId,
  metadataRecord,
  metadataSubject,
  type Message,
  type Metadata,
} from '@parley/schemas';
import { z } from 'zod';
import { parseViberPayload } from './viber-json.js';
import { VIBER_SOURCE } from './viber-topics.js';

/** Conversation metadata: `true` while the user is subscribed to the bot, `false` once unsubscribed. */
export const VIBER_SUBSCRIBED_KEY = 'viber.subscribed';

/** The callbacks the router maps (others are stored and dead-lettered as unknown). */
export const VIBER_EVENT_KINDS = ['webhook', 'conversation_started', 'message', 'subscribed', 'unsubscribed', 'delivered', 'seen', 'failed'] as const;
export type ViberEventKind = (typeof VIBER_EVENT_KINDS)[number];

const token = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const userId = z.string().min(1).max(256).refine((s) => !/\p{Cs}/u.test(s), 'must be well-formed Unicode');
const timestamp = z.number().int().nonnegative().max(8.64e15);
const text = z.string().max(4096).optional();

const user = z.looseObject({ id: userId, name: text, avatar: text, language: text, country: text });

/** What every callback has: its kind and time (ms). */
export const viberEnvelopeSchema = z.looseObject({ event: z.string().min(1).max(64), timestamp });

const eventSchemas = {
  webhook: z.looseObject({ event: z.literal('webhook'), timestamp }),
  conversation_started: z.looseObject({ event: z.literal('conversation_started'), timestamp, message_token: token, user, subscribed: z.boolean().optional() }),
  message: z.looseObject({ event: z.literal('message'), timestamp, message_token: token, sender: user, message: z.looseObject({ type: z.string().min(1).max(64) }) }),
  subscribed: z.looseObject({ event: z.literal('subscribed'), timestamp, user }),
  unsubscribed: z.looseObject({ event: z.literal('unsubscribed'), timestamp, user_id: userId }),
  delivered: z.looseObject({ event: z.literal('delivered'), timestamp, message_token: token, user_id: userId.optional() }),
  seen: z.looseObject({ event: z.literal('seen'), timestamp, message_token: token, user_id: userId.optional() }),
  failed: z.looseObject({ event: z.literal('failed'), timestamp, message_token: token, user_id: userId.optional(), desc: z.string().max(4096).optional() }),
} satisfies Record<ViberEventKind, z.ZodType>;

/** One callback, validated by its kind; `unknown` for a kind this version does not map. */
export type ViberEvent = { [K in ViberEventKind]: z.output<(typeof eventSchemas)[K]> }[ViberEventKind] | { event: 'unknown'; name: string; timestamp: number };

/** The schema of a callback of `kind` (for the webhook's validation before anything is stored). */
export function viberEventSchema(kind: string): z.ZodType | undefined {
  return Object.hasOwn(eventSchemas, kind) ? eventSchemas[kind as ViberEventKind] : undefined;
}

/** A delivery callback, as the router's status path carries it (keyed by token). */
export interface ViberStatus {
  status: 'delivered' | 'seen' | 'failed';
  token: string;
  timestamp: number;
  desc: string | null;
}

/** The contact's profile as conversation metadata records. */
function contactRecords(subject: string, u: z.output<typeof user>, at: number): Metadata[] {
  const fields: [string, string | undefined][] = [
    [CONVERSATION_METADATA_KEYS.contactDisplayName, u.name],
    [CONVERSATION_METADATA_KEYS.contactAvatarUrl, u.avatar],
    [CONVERSATION_METADATA_KEYS.contactLang, u.language],
    [CONVERSATION_METADATA_KEYS.contactCountry, u.country],
  ];
  return fields.filter(([, v]) => v !== undefined && v !== '').map(([key, value]) => metadataRecord({ subject, key, value: value!, timestamp: at }));
}

/** What a conversation-level callback maps to once its channel is known. */
export interface MappedEvent {
  message: Message | null;
  metadata: Metadata[];
}

/**
 * The records of a `message`, `conversation_started`, `subscribed` or `unsubscribed` callback on
 * `channel`; `rawText` is the callback as received, kept as the message's content untouched.
 */
export function mapConversationEvent(event: ViberEvent, channel: string, rawText: string): MappedEvent {
  const at = event.timestamp;
  const conversation = (id: string) => metadataSubject('conversation', deriveConversationId(channel, id));
  switch (event.event) {
    case 'message': {
      const contact = event.sender.id;
      const message: Message = {
        id: deriveMessageId(channel, event.message_token),
        headers: null,
        senderType: 'CONTACT',
        senderId: contact,
        deliveryState: 'DELIVERED',
        conversationId: deriveConversationId(channel, contact),
        channelId: channel,
        source: VIBER_SOURCE,
        sourceRecipientId: null,
        content: rawText,
        sentAt: at,
        updatedAt: null,
      };
      return { message, metadata: contactRecords(conversation(contact), event.sender, at) };
    }
    case 'conversation_started': {
      const subject = conversation(event.user.id);
      const subscribed = event.subscribed === undefined ? [] : [metadataRecord({ subject, key: VIBER_SUBSCRIBED_KEY, value: String(event.subscribed), timestamp: at })];
      return { message: null, metadata: [...contactRecords(subject, event.user, at), ...subscribed] };
    }
    case 'subscribed': {
      const subject = conversation(event.user.id);
      return { message: null, metadata: [...contactRecords(subject, event.user, at), metadataRecord({ subject, key: VIBER_SUBSCRIBED_KEY, value: 'true', timestamp: at })] };
    }
    case 'unsubscribed':
      return { message: null, metadata: [metadataRecord({ subject: conversation(event.user_id), key: VIBER_SUBSCRIBED_KEY, value: 'false', timestamp: at })] };
    default:
      return { message: null, metadata: [] };
  }
}

/**
 * Parses and validates a raw callback: the envelope, then the fields of its kind.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field.
 */
export function parseViberEvent(raw: Buffer | string): ViberEvent {
  const envelope = parseViberPayload(viberEnvelopeSchema, raw, 'Viber callback');
  const schema = viberEventSchema(envelope.event);
  if (schema === undefined) return { event: 'unknown', name: envelope.event, timestamp: envelope.timestamp };
  return parseViberPayload(schema, raw, `Viber ${envelope.event} callback`) as ViberEvent;
}
