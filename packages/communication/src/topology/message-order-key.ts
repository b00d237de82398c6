/**
 * Keys of the `conversation-messages` store: `<conversationId>\0<sentAt>\0<messageId>` with
 * sentAt as 16 zero-padded decimal digits, so the byte order of keys is the order of
 * (conversation, sentAt, message id). Two messages with the same sentAt have two keys: they
 * never collapse (Airy's chat plugin kept a set ordered by sentAt alone and lost one of them).
 */

const SEPARATOR = '\u0000';
/** Sorts after SEPARATOR: a bound just past every key sharing a prefix. */
const AFTER_SEPARATOR = '\u0001';
const DIGITS = 16;

/** sentAt as it sorts: a non-negative safe integer, zero-padded (negative or odd values clamp to 0). */
function sortableTime(sentAt: number): string {
  const ms = Number.isSafeInteger(sentAt) && sentAt > 0 ? sentAt : 0;
  return ms.toString().padStart(DIGITS, '0');
}

/** The key of one message in its conversation. */
export function messageOrderKey(conversationId: string, sentAt: number, messageId: string): string {
  return `${conversationId}${SEPARATOR}${sortableTime(sentAt)}${SEPARATOR}${messageId}`;
}

/** Inclusive bounds covering every message of a conversation. */
export function conversationKeyRange(conversationId: string): { from: string; to: string } {
  return { from: `${conversationId}${SEPARATOR}`, to: `${conversationId}${AFTER_SEPARATOR}` };
}

/** The smallest key greater than `key`: an exclusive lower bound as an inclusive one. */
export function keyAfter(key: string): string {
  return `${key}${SEPARATOR}`;
}

/** Inclusive bounds covering the conversation's messages with `fromMs < sentAt <= toMs` (fromMs null: from the start). */
export function sentBetweenRange(conversationId: string, fromMs: number | null, toMs: number): { from: string; to: string } {
  const start = fromMs === null ? `${conversationId}${SEPARATOR}` : `${conversationId}${SEPARATOR}${sortableTime(fromMs)}${AFTER_SEPARATOR}`;
  return { from: start, to: `${conversationId}${SEPARATOR}${sortableTime(toMs)}${AFTER_SEPARATOR}` };
}
