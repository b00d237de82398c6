/**
 * Messenger webhook bodies → Parley records (the router's pure core).
 *
 * Envelope: `{ "object": "page", "entry": [{ "id": PAGE_ID, "time": ms, "messaging" | "standby": [event…] }] }`.
 * Each event becomes at most one routed item, for the channel `channelId("facebook", PAGE_ID)`
 * (Airy Core's id, so history from an Airy installation maps to the same channels and conversations):
 *
 * | event                              | item                                                                                   |
 * |------------------------------------|----------------------------------------------------------------------------------------|
 * | `message` (text, attachments, quick reply, reply_to) | Message, CONTACT, sender = PSID, conversation = PSID             |
 * | `message.is_echo`, our `appId`     | dropped: the connector stored that message when it sent it                             |
 * | `message.is_echo`, another app     | Message, APP, sender = that app id, conversation = recipient PSID                      |
 * | `message.is_echo`, no `app_id`     | Message, USER (the page inbox), sender = page id, conversation = recipient PSID        |
 * | `postback`                         | Message with headers `postback.payload` (`__empty__` when none), `postback.title`, `postback.referral` |
 * | `referral` (ads, m.me links)       | Message with header `postback.referral`                                                |
 * | `reaction` react / unreact         | a reaction: message metadata `reaction.emoji`, `reaction.sent_at` / their tombstones, on the message the connector sent under the mid, else `messageId(channel, mid)` (the router decides) |
 * | `delivery`, `read` (watermarks)    | a watermark of the contact's conversation: the router marks the page's messages sent before it `delivered` / `read` (watermarks.ts) |
 *
 * Message ids are `messageId(channel, mid)` — Meta's idempotency key ("to de-duplicate messages
 * use the mid"), so a retried webhook rewrites the same record and a reaction names the message
 * it reacts to. Airy hashed the whole event instead, so its reactions to inbound messages pointed
 * at no message.
 * Events without a mid (old postbacks, referrals) hash the event's JSON. Content is the one event's
 * JSON as Meta sent it (keys in Meta's order), never rewritten.
 */
import { channelId as deriveChannelId, conversationId as deriveConversationId, messageId as deriveMessageId, type Message, type Metadata } from '@parley/schemas';
import { z } from 'zod';
import { SourcesError } from '../errors.js';
import { metaReaction, reactionSchema, type MetaReaction } from '../meta-graph/index.js';
import { parseJsonPayload } from '../parse-json-payload.js';
import { FACEBOOK_SOURCE } from './facebook-topics.js';

/** Most entries one webhook call may carry (Meta batches up to 1000 updates). */
export const MAX_ENTRIES = 1000;

const graphId = z.string().min(1).max(128).regex(/^[0-9A-Za-z_.:-]+$/, 'must be a Graph id');

/** The envelope the webhook validates before storing anything; events are checked one by one in the router. */
export const facebookEnvelopeSchema = z.object({
  object: z.literal('page'),
  entry: z
    .array(z.object({ id: graphId, time: z.number().optional(), messaging: z.array(z.unknown()).optional(), standby: z.array(z.unknown()).optional() }))
    .min(1)
    .max(MAX_ENTRIES),
});
export type FacebookEnvelope = z.output<typeof facebookEnvelopeSchema>;

/**
 * Parses and validates a webhook body's envelope.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field.
 */
export function parseFacebookEnvelope(rawBody: Buffer | string): FacebookEnvelope {
  return parseJsonPayload(facebookEnvelopeSchema, rawBody, 'body');
}

const party = z.object({ id: graphId });
const baseEvent = z.object({ sender: party, recipient: party, timestamp: z.number().int().nonnegative().max(8.64e15) });
const messageEvent = baseEvent.extend({
  message: z.object({ mid: z.string().min(1).max(512), is_echo: z.boolean().optional(), app_id: z.union([z.number(), z.string()]).optional() }),
});
const postbackEvent = baseEvent.extend({
  postback: z.object({ mid: z.string().min(1).max(512).optional(), title: z.string().optional(), payload: z.string().optional(), referral: z.unknown().optional() }),
});
const referralEvent = baseEvent.extend({ referral: z.record(z.string(), z.unknown()) });
const watermarkEvent = z.object({ sender: party, recipient: party, delivery: z.object({ watermark: z.number().int().nonnegative().max(8.64e15) }).optional(), read: z.object({ watermark: z.number().int().nonnegative().max(8.64e15) }).optional() });
const reactionEvent = baseEvent.extend({ reaction: reactionSchema });

/** A dead letter as written to `source.facebook.dead-letters` (JSON). */
export interface FacebookDeadLetter {
  code: 'SOURCES_INVALID_PAYLOAD' | 'SOURCES_CHANNEL_NOT_FOUND';
  reason: string;
  page_id: string;
  /** The event (or the raw body when it did not parse). */
  event: unknown;
}

/** One routable piece of a webhook body, for the channel of one page. */
export type FacebookItem =
  | { kind: 'message'; channelId: string; pageId: string; message: Message }
  | { kind: 'metadata'; channelId: string; pageId: string; records: Metadata[] }
  /** A reaction to the message Meta calls `reaction.mid`: the router finds the Parley message (one the connector sent, else `messageId(channel, mid)`). */
  | { kind: 'reaction'; channelId: string; pageId: string; reaction: MetaReaction }
  /** A `delivery` or `read` watermark of the conversation with the contact. */
  | { kind: 'watermark'; channelId: string; pageId: string; conversationId: string; state: 'delivered' | 'read'; watermark: number }
  /** Metadata to delete: the record keys (`metadataId`) to tombstone. */
  | { kind: 'tombstones'; channelId: string; pageId: string; keys: string[] }
  | { kind: 'dead'; letter: FacebookDeadLetter };

/**
 * Every item a raw webhook body maps to, in order. `appId` is ours (its echoes are dropped). A
 * body that does not parse is one dead letter; an event that does not, one dead letter per event.
 */
export function mapFacebookWebhook(rawBody: Buffer, appId: string, keyPageId: string): FacebookItem[] {
  let envelope: FacebookEnvelope;
  try {
    envelope = parseFacebookEnvelope(rawBody);
  } catch (err) {
    if (!(err instanceof SourcesError)) throw err;
    return [{ kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: err.message, page_id: keyPageId, event: rawBody.toString('utf8') } }];
  }
  const items: FacebookItem[] = [];
  for (const entry of envelope.entry) {
    for (const event of [...(entry.messaging ?? []), ...(entry.standby ?? [])]) {
      const item = mapEvent(entry.id, event, appId);
      if (item !== undefined) items.push(item);
    }
  }
  return items;
}

function mapEvent(pageId: string, event: unknown, appId: string): FacebookItem | undefined {
  const channelId = deriveChannelId(FACEBOOK_SOURCE, pageId);
  const dead = (reason: string): FacebookItem => ({ kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason, page_id: pageId, event } });
  if (typeof event !== 'object' || event === null) return dead('an event must be an object');
  const content = JSON.stringify(event);
  const has = (name: string) => Object.hasOwn(event, name);

  if (has('message')) {
    const parsed = messageEvent.safeParse(event);
    if (!parsed.success) return dead(`message event: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    const e = parsed.data;
    const base = { id: deriveMessageId(channelId, e.message.mid), headers: null, deliveryState: 'DELIVERED' as const, channelId, source: FACEBOOK_SOURCE, sourceRecipientId: null, content, sentAt: e.timestamp, updatedAt: null };
    if (e.message.is_echo !== true) {
      return { kind: 'message', channelId, pageId, message: { ...base, senderType: 'CONTACT', senderId: e.sender.id, conversationId: deriveConversationId(channelId, e.sender.id) } };
    }
    const app = e.message.app_id === undefined ? undefined : String(e.message.app_id);
    if (app === appId) return undefined;
    const sender = app === undefined ? { senderType: 'USER' as const, senderId: e.sender.id } : { senderType: 'APP' as const, senderId: app };
    return { kind: 'message', channelId, pageId, message: { ...base, ...sender, conversationId: deriveConversationId(channelId, e.recipient.id) } };
  }
  if (has('postback')) {
    const parsed = postbackEvent.safeParse(event);
    if (!parsed.success) return dead(`postback event: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    const e = parsed.data;
    const headers: Record<string, string> = { 'postback.payload': e.postback.payload === undefined || e.postback.payload === '' ? '__empty__' : e.postback.payload };
    if (e.postback.title !== undefined) headers['postback.title'] = e.postback.title;
    if (e.postback.referral !== undefined) headers['postback.referral'] = JSON.stringify(e.postback.referral);
    return { kind: 'message', channelId, pageId, message: contactMessage(channelId, e, e.postback.mid ?? content, content, headers) };
  }
  if (has('referral')) {
    const parsed = referralEvent.safeParse(event);
    if (!parsed.success) return dead(`referral event: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    return { kind: 'message', channelId, pageId, message: contactMessage(channelId, parsed.data, content, content, { 'postback.referral': JSON.stringify(parsed.data.referral) }) };
  }
  if (has('reaction')) {
    const parsed = reactionEvent.safeParse(event);
    if (!parsed.success) return dead(`reaction event: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    return { kind: 'reaction', channelId, pageId, reaction: metaReaction(parsed.data.reaction, parsed.data.timestamp) };
  }
  if (has('delivery') || has('read')) {
    const parsed = watermarkEvent.safeParse(event);
    if (!parsed.success) return dead(`${has('read') ? 'read' : 'delivery'} event: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    const e = parsed.data;
    const mark = e.read ?? e.delivery;
    if (mark === undefined) return dead('a delivery or read event needs a watermark');
    return { kind: 'watermark', channelId, pageId, conversationId: deriveConversationId(channelId, e.sender.id), state: e.read === undefined ? 'delivered' : 'read', watermark: mark.watermark };
  }
  return undefined;
}

function contactMessage(channelId: string, e: z.output<typeof baseEvent>, sourceMessageId: string, content: string, headers: Record<string, string>): Message {
  return {
    id: deriveMessageId(channelId, sourceMessageId),
    headers,
    senderType: 'CONTACT',
    senderId: e.sender.id,
    deliveryState: 'DELIVERED',
    conversationId: deriveConversationId(channelId, e.sender.id),
    channelId,
    source: FACEBOOK_SOURCE,
    sourceRecipientId: null,
    content,
    sentAt: e.timestamp,
    updatedAt: null,
  };
}
