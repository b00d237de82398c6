/**
 * Instagram messaging webhook bodies → Parley records (the router's pure core).
 *
 * Envelope: `{ "object": "instagram", "entry": [{ "id": IG_ACCOUNT_ID, "time": ms, "messaging" | "standby": [event…] }] }`.
 * Each event becomes at most one item for the channel `channelId("instagram", IG_ACCOUNT_ID)`
 * (Airy Core's id):
 *
 * | event | item |
 * |---|---|
 * | `message` (text, attachments image/video/audio/file/share/story_mention/ig_reel/reel, `quick_reply`, `reply_to` incl. story replies) | Message, CONTACT, sender = IGSID, conversation = IGSID |
 * | `message.is_echo` | an echo: dropped when its mid is one the connector sent (see the router), else Message, USER, sender = account id, conversation = recipient IGSID |
 * | `postback` | Message with headers `postback.payload` (`__empty__` when none), `postback.title` |
 * | `referral` | Message with header `postback.referral` (JSON) |
 * | `reaction` react / unreact | a reaction: message metadata `reaction.emoji`, `reaction.sent_at` / tombstones, on the message the mid names (the router resolves Parley's own by sent mid) |
 * | `read` (`messaging_seen`) | a seen mark: message metadata `source.delivery_state` = `read` of the message it names (the router resolves Parley's own by sent mid) |
 *
 * Message ids are `messageId(channel, mid)`: a webhook delivered twice is stored once. Content is
 * the one event's JSON.
 */
import { channelId as deriveChannelId, conversationId as deriveConversationId, messageId as deriveMessageId, type Message, type Metadata } from '@parley/schemas';
import { z } from 'zod';
import { SourcesError } from '../errors.js';
import { metaReaction, reactionSchema, type MetaReaction } from '../meta-graph/index.js';
import { parseJsonPayload } from '../parse-json-payload.js';
import { INSTAGRAM_SOURCE } from './instagram-topics.js';

/** Most entries one webhook call may carry (Meta batches up to 1000 updates). */
export const MAX_ENTRIES = 1000;

const graphId = z.string().min(1).max(128).regex(/^[0-9A-Za-z_.:-]+$/, 'must be a Graph id');

/** The envelope the webhook validates before storing anything; events are checked one by one in the router. */
export const instagramEnvelopeSchema = z.object({
  object: z.literal('instagram'),
  entry: z
    .array(z.object({ id: graphId, time: z.number().optional(), messaging: z.array(z.unknown()).optional(), standby: z.array(z.unknown()).optional() }))
    .min(1)
    .max(MAX_ENTRIES),
});
export type InstagramEnvelope = z.output<typeof instagramEnvelopeSchema>;

/**
 * Parses and validates a webhook body's envelope.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field.
 */
export function parseInstagramEnvelope(rawBody: Buffer | string): InstagramEnvelope {
  return parseJsonPayload(instagramEnvelopeSchema, rawBody, 'body');
}

const party = z.object({ id: graphId });
const baseEvent = z.object({ sender: party, recipient: party, timestamp: z.number().int().nonnegative().max(8.64e15) });
const mid = z.string().min(1).max(512);
const messageEvent = baseEvent.extend({ message: z.object({ mid, is_echo: z.boolean().optional() }) });
const postbackEvent = baseEvent.extend({ postback: z.object({ mid: mid.optional(), title: z.string().optional(), payload: z.string().optional() }) });
const referralEvent = baseEvent.extend({ referral: z.record(z.string(), z.unknown()) });
const seenEvent = baseEvent.extend({ read: z.object({ mid }) });
const reactionEvent = baseEvent.extend({ reaction: reactionSchema });

/** A dead letter as written to `source.instagram.dead-letters` (JSON). */
export interface InstagramDeadLetter {
  code: 'SOURCES_INVALID_PAYLOAD' | 'SOURCES_CHANNEL_NOT_FOUND';
  reason: string;
  account_id: string;
  /** The event (or the raw body when it did not parse). */
  event: unknown;
}

/** One routable piece of a webhook body, for the channel of one Instagram account. */
export type InstagramItem =
  | { kind: 'message'; channelId: string; accountId: string; message: Message }
  /** A message the account sent (from the Instagram app, or from Parley: then dropped by the router). */
  | { kind: 'echo'; channelId: string; accountId: string; mid: string; message: Message }
  | { kind: 'metadata'; channelId: string; accountId: string; records: Metadata[] }
  /** The contact saw the message `mid` (at `timestamp`). */
  | { kind: 'seen'; channelId: string; accountId: string; mid: string; timestamp: number }
  /** A reaction to the message `mid` (resolved by the router like a seen mark). */
  | { kind: 'reaction'; channelId: string; accountId: string; mid: string; reaction: MetaReaction }
  | { kind: 'tombstones'; channelId: string; accountId: string; keys: string[] }
  | { kind: 'dead'; letter: InstagramDeadLetter };

/** Every item a raw webhook body maps to, in order; what does not parse becomes a dead letter. */
export function mapInstagramWebhook(rawBody: Buffer, keyAccountId: string): InstagramItem[] {
  let envelope: InstagramEnvelope;
  try {
    envelope = parseInstagramEnvelope(rawBody);
  } catch (err) {
    if (!(err instanceof SourcesError)) throw err;
    return [{ kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: err.message, account_id: keyAccountId, event: rawBody.toString('utf8') } }];
  }
  const items: InstagramItem[] = [];
  for (const entry of envelope.entry) {
    for (const event of [...(entry.messaging ?? []), ...(entry.standby ?? [])]) {
      const item = mapEvent(entry.id, event);
      if (item !== undefined) items.push(item);
    }
  }
  return items;
}

function mapEvent(accountId: string, event: unknown): InstagramItem | undefined {
  const channelId = deriveChannelId(INSTAGRAM_SOURCE, accountId);
  const dead = (kind: string, error: z.ZodError): InstagramItem => {
    const issue = error.issues[0]!;
    return { kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: `${kind} event: ${issue.path.join('.')}: ${issue.message}`, account_id: accountId, event } };
  };
  if (typeof event !== 'object' || event === null) return { kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: 'an event must be an object', account_id: accountId, event } };
  const content = JSON.stringify(event);
  const has = (name: string) => Object.hasOwn(event, name);
  const message = (e: z.output<typeof baseEvent>, sourceMessageId: string, headers: Record<string, string> | null, echo: boolean): Message => {
    const contact = echo ? e.recipient.id : e.sender.id;
    return {
      id: deriveMessageId(channelId, sourceMessageId),
      headers,
      senderType: echo ? 'USER' : 'CONTACT',
      senderId: e.sender.id,
      deliveryState: 'DELIVERED',
      conversationId: deriveConversationId(channelId, contact),
      channelId,
      source: INSTAGRAM_SOURCE,
      sourceRecipientId: null,
      content,
      sentAt: e.timestamp,
      updatedAt: null,
    };
  };

  if (has('message')) {
    const parsed = messageEvent.safeParse(event);
    if (!parsed.success) return dead('message', parsed.error);
    const e = parsed.data;
    if (e.message.is_echo === true) return { kind: 'echo', channelId, accountId, mid: e.message.mid, message: message(e, e.message.mid, null, true) };
    return { kind: 'message', channelId, accountId, message: message(e, e.message.mid, null, false) };
  }
  if (has('postback')) {
    const parsed = postbackEvent.safeParse(event);
    if (!parsed.success) return dead('postback', parsed.error);
    const e = parsed.data;
    const headers: Record<string, string> = { 'postback.payload': e.postback.payload === undefined || e.postback.payload === '' ? '__empty__' : e.postback.payload };
    if (e.postback.title !== undefined) headers['postback.title'] = e.postback.title;
    return { kind: 'message', channelId, accountId, message: message(e, e.postback.mid ?? content, headers, false) };
  }
  if (has('referral')) {
    const parsed = referralEvent.safeParse(event);
    if (!parsed.success) return dead('referral', parsed.error);
    return { kind: 'message', channelId, accountId, message: message(parsed.data, content, { 'postback.referral': JSON.stringify(parsed.data.referral) }, false) };
  }
  if (has('reaction')) {
    const parsed = reactionEvent.safeParse(event);
    if (!parsed.success) return dead('reaction', parsed.error);
    return { kind: 'reaction', channelId, accountId, mid: parsed.data.reaction.mid, reaction: metaReaction(parsed.data.reaction, parsed.data.timestamp) };
  }
  if (has('read')) {
    const parsed = seenEvent.safeParse(event);
    if (!parsed.success) return dead('read', parsed.error);
    return { kind: 'seen', channelId, accountId, mid: parsed.data.read.mid, timestamp: parsed.data.timestamp };
  }
  return undefined;
}
