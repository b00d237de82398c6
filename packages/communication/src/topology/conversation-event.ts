import type { JsonObject, Message } from '@parley/schemas';

/**
 * What the conversation aggregator consumes, keyed by conversation id: messages and read
 * receipts (repartitioned from their topics) and the conversation's merged metadata document
 * (from the metadata aggregator). Internal: these travel as JSON through repartition topics.
 */
export type ConversationEvent =
  /** A message, new or updated (the latest version of the record). */
  | { readonly type: 'message'; readonly message: Message }
  /** A tombstone on the messages topic removed the message. */
  | { readonly type: 'message-deleted'; readonly messageId: string }
  /** The business side read the conversation up to `readAt` (ms since the epoch). */
  | { readonly type: 'read'; readonly readAt: number; readonly userId: string | null }
  /** The conversation's metadata changed; `document` is the whole merged document. */
  | { readonly type: 'metadata'; readonly document: JsonObject };
