import { readStart, writeStart } from '../../state/internals/window-key.js';

/** The input a stream-stream join record came from. */
export type JoinSide = 'left' | 'right';

/**
 * Keys of the stream-stream join's outer store (Kafka's `TimestampedKeyAndJoinSide`):
 *
 *   [ timestamp: 8 bytes, big-endian ms ][ side: 0 left, 1 right ][ key bytes ]
 *
 * so a scan from the start visits waiting records oldest first.
 */
export const OuterJoinKey = {
  encode(timestamp: number, side: JoinSide, key: Buffer): Buffer {
    const out = Buffer.allocUnsafe(9 + key.length);
    writeStart(out, 0, timestamp);
    out[8] = side === 'left' ? 0 : 1;
    key.copy(out, 9);
    return out;
  },
  decode(stored: Buffer): { timestamp: number; side: JoinSide; key: Buffer } {
    return { timestamp: readStart(stored, 0), side: stored[8] === 0 ? 'left' : 'right', key: stored.subarray(9) };
  },
  timestampOf(stored: Buffer): number {
    return readStart(stored, 0);
  },
} as const;

const streamTimes = new WeakMap<object, { streamTime: number }>();

/**
 * The stream time both sides of one join in one task share (Kafka's `TimeTracker`): the highest
 * timestamp either side has seen, in ms. Keyed by the task's outer store instance, which both
 * sides' processors get from their task and which a restarted task builds anew.
 */
export function streamTimeOf(outerStore: object): { streamTime: number } {
  let time = streamTimes.get(outerStore);
  if (time === undefined) streamTimes.set(outerStore, (time = { streamTime: -1 }));
  return time;
}
