import type { JsonObject, Message } from '@parley/schemas';

/**
 * The state the read model keeps per conversation (store `conversations`). Conversations are
 * never written by anyone: this is derived from the conversation's messages, read receipts and
 * metadata. Stored as JSON (`v` versions the shape).
 */
export interface ConversationAggregate {
  readonly v: 1;
  readonly id: string;
  /** From the conversation's messages (all carry the same); null before the first message. */
  channelId: string | null;
  source: string | null;
  /** The earliest sentAt among its messages, in ms; null without messages. */
  createdAt: number | null;
  /** The message with the greatest (sentAt, id); an update of it refreshes it. */
  lastMessage: Message | null;
  /** The latest contact message by (sentAt, id); its sender is the source conversation id. */
  latestContact: { readonly id: string; readonly sentAt: number; readonly senderId: string } | null;
  /** The sourceRecipientId of an outbound message that opened the conversation, if any. */
  sourceRecipientId: string | null;
  /** The latest read receipt's readAt (the greatest seen), in ms; null before any. */
  readAt: number | null;
  /** Contact messages sent after `readAt` (all of them before any receipt). */
  unreadCount: number;
  /** Messages in the conversation. */
  messageCount: number;
  /** The conversation's merged metadata document (subject `conversation:<id>`). */
  metadata: JsonObject;
}

/** A conversation with no messages, receipts or metadata yet. */
export function emptyConversation(id: string): ConversationAggregate {
  return {
    v: 1,
    id,
    channelId: null,
    source: null,
    createdAt: null,
    lastMessage: null,
    latestContact: null,
    sourceRecipientId: null,
    readAt: null,
    unreadCount: 0,
    messageCount: 0,
    metadata: {},
  };
}

/** The id of the contact at the source: the latest contact sender, else the first outbound recipient. */
export function sourceConversationId(aggregate: ConversationAggregate): string | null {
  return aggregate.latestContact?.senderId ?? aggregate.sourceRecipientId;
}

/** Orders (sentAt, id) pairs: time first, then id, so equal timestamps never tie. */
export function compareTimeAndId(aTime: number, aId: string, bTime: number, bId: string): number {
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  return aId === bId ? 0 : aId < bId ? -1 : 1;
}

/** A contact message sent at `sentAt` is unread unless a receipt reached it (`sentAt <= readAt`). */
export function isUnread(sentAt: number, readAt: number | null): boolean {
  return readAt === null || sentAt > readAt;
}
