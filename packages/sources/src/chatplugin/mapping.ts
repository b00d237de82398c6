/**
 * The chat plugin's event (one visitor message, as `chatplugin.send` appends it to
 * `source.chatplugin.events`, keyed by conversation id) and its mapping to a Message record.
 * There is no outside provider: the website widget posts `{ message, client_message_id? }` with
 * its chat token, and Parley writes this JSON:
 *
 * ```json
 * {
 *   "type": "message",
 *   "message_id": "5d0c…",           // chatMessageId(conversation, client_message_id), or random
 *   "conversation_id": "0b7f…",      // from the chat token (a random UUID issued by authenticate)
 *   "channel_id": "9a31…",           // from the chat token
 *   "client_message_id": "m-17",     // the widget's own id of the message, or null
 *   "content": { "text": "Hi!" },    // any JSON object, at most maxContentBytes
 *   "sent_at": 1700000000000         // server time, epoch ms
 * }
 * ```
 *
 * Airy Core's chat plugin wrote the Message directly from the HTTP handler; Parley keeps the
 * event, so the router can be fixed and the history re-routed like any provider's.
 */
import { randomUUID } from 'node:crypto';
import { isCanonicalUuid, messageId, type JsonObject, type Message } from '@parley/schemas';
import { z } from 'zod';
import { SourcesError } from '../errors.js';
import { parseJsonPayload } from '../parse-json-payload.js';
import { CHATPLUGIN_SOURCE } from './chatplugin-topics.js';

/** Default bound of a message's content, in bytes of its JSON text. */
export const DEFAULT_MAX_CONTENT_BYTES = 16 * 1024;

/** A widget's id of one of its messages: 1–128 printable ASCII characters without spaces. */
export const CLIENT_MESSAGE_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

const uuid = z.string().refine(isCanonicalUuid, { message: 'not a Parley id (a lowercase canonical UUID)' });

/** One visitor message event (unknown fields are ignored, so newer writers stay routable). */
export const chatEventSchema = z.object({
  type: z.literal('message'),
  message_id: uuid,
  conversation_id: uuid,
  channel_id: uuid,
  client_message_id: z.string().regex(CLIENT_MESSAGE_ID_PATTERN).nullable(),
  content: z.record(z.string(), z.json()),
  sent_at: z.number().int().nonnegative().max(8.64e15),
});

export type ChatEvent = z.output<typeof chatEventSchema>;

/**
 * The id of a visitor message: with the widget's `clientMessageId`, derived from (conversation,
 * client id), so a retried send maps to the same message; without, a random UUID.
 */
export function chatMessageId(conversationId: string, clientMessageId?: string | null, random: () => string = randomUUID): string {
  if (clientMessageId === undefined || clientMessageId === null) return random();
  if (!CLIENT_MESSAGE_ID_PATTERN.test(clientMessageId)) throw new RangeError('clientMessageId must be 1-128 printable ASCII characters without spaces');
  // The conversation id is a canonical UUID, the namespace messageId expects.
  return messageId(conversationId, clientMessageId);
}

/**
 * Checks a message's content: a JSON object whose JSON text is at most `maxBytes` bytes.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD (field `message`).
 */
export function parseChatContent(content: unknown, maxBytes = DEFAULT_MAX_CONTENT_BYTES): JsonObject {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'message must be a JSON object, e.g. {"text":"Hi"}', { field: 'message' });
  }
  let text: string;
  try {
    text = JSON.stringify(content);
  } catch (cause) {
    // Too deeply nested for the stack, a cycle or a BigInt: not something a widget sends.
    throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'message is not serialisable JSON', { cause, field: 'message' });
  }
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) throw new SourcesError('SOURCES_INVALID_PAYLOAD', `message is ${size} bytes of JSON, more than the ${maxBytes} allowed`, { field: 'message' });
  // Checked after the size bound, so the recursive check never walks an oversized value.
  const parsed = z.record(z.string(), z.json()).safeParse(content);
  if (!parsed.success) throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'message must hold JSON values only', { field: 'message' });
  // The checked copy leaves out `__proto__` keys: refuse rather than store less than was sent.
  if (JSON.stringify(parsed.data) !== text) throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'message must not use the key "__proto__"', { field: 'message' });
  return parsed.data as JsonObject;
}

/**
 * Parses an event's bytes.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field.
 */
export function parseChatEvent(raw: Buffer | string): ChatEvent {
  const event = parseJsonPayload(chatEventSchema, raw, 'chat plugin event');
  // The router keys retries by message id: an id that is not the derivation of its client id
  // would let one message's retry stand in for another's.
  if (event.client_message_id !== null && event.message_id !== chatMessageId(event.conversation_id, event.client_message_id)) {
    throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'invalid chat plugin event at message_id: not derived from conversation_id and client_message_id', { field: 'message_id' });
  }
  return event;
}

/** The event as a Message: from the contact (sender = the conversation id), DELIVERED. */
export function toContactMessage(event: ChatEvent): Message {
  return {
    id: event.message_id,
    headers: null,
    senderType: 'CONTACT',
    // The visitor has no id of their own: the conversation stands for them (Airy's choice too).
    senderId: event.conversation_id,
    deliveryState: 'DELIVERED',
    conversationId: event.conversation_id,
    channelId: event.channel_id,
    source: CHATPLUGIN_SOURCE,
    sourceRecipientId: null,
    content: JSON.stringify(event.content),
    sentAt: event.sent_at,
    updatedAt: null,
  };
}
