/**
 * Messenger's and Instagram's `reaction` events (`message_reactions`): `react` → message metadata
 * `reaction.emoji` (Meta's `\u{…}` text decoded) and `reaction.sent_at`; `unreact` → tombstones of
 * both. The event names the message by Meta's `mid`; the router decides which Parley message that
 * is — the one the connector sent under that mid (the provider's sent-mids table), else the
 * inbound message stored as `messageId(channel, mid)` — and then calls `reactionOutput`.
 */
import { MESSAGE_METADATA_KEYS, metadataId, metadataRecord, metadataSubject, type Metadata } from '@parley/schemas';
import { z } from 'zod';
import { decodeCodePoints } from './emoji-text.js';

/** The `reaction` object of the event. */
export const reactionSchema = z.object({ mid: z.string().min(1).max(512), action: z.enum(['react', 'unreact']), emoji: z.string().optional(), reaction: z.string().optional() });

/** A contact's reaction to the message Meta calls `mid`, at `timestamp` (ms). */
export interface MetaReaction {
  mid: string;
  action: 'react' | 'unreact';
  /** The emoji, decoded ('' for an unreact). */
  emoji: string;
  timestamp: number;
}

export function metaReaction(reaction: z.output<typeof reactionSchema>, timestamp: number): MetaReaction {
  return { mid: reaction.mid, action: reaction.action, emoji: reaction.action === 'unreact' ? '' : decodeCodePoints(reaction.emoji ?? reaction.reaction ?? ''), timestamp };
}

/** What the reaction writes for the Parley message `messageId`: metadata records, or the keys to tombstone. */
export function reactionOutput(messageId: string, reaction: MetaReaction): { kind: 'metadata'; records: Metadata[] } | { kind: 'tombstones'; keys: string[] } {
  const subject = metadataSubject('message', messageId);
  if (reaction.action === 'unreact') return { kind: 'tombstones', keys: [metadataId(subject, MESSAGE_METADATA_KEYS.reactionEmoji), metadataId(subject, MESSAGE_METADATA_KEYS.reactionSentAt)] };
  return {
    kind: 'metadata',
    records: [
      metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.reactionEmoji, value: reaction.emoji, timestamp: reaction.timestamp }),
      metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.reactionSentAt, value: reaction.timestamp, timestamp: reaction.timestamp }),
    ],
  };
}
