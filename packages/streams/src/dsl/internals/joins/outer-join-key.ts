import { readStart, writeStart } from '../../../state/internals/window-key.js';

/** The input a stream-stream join record came from. */
export type JoinSide = 'left' | 'right';

/**
 * Keys of the stream-stream join's outer store (Kafka's `TimestampedKeyAndJoinSide`):
 *
 *   [ timestamp: 8 bytes, big-endian ms ][ side: 2 left, 1 right ][ key bytes ]
 *
 * so a scan from the start visits waiting records oldest first and, at equal timestamps, right
 * before left, in Kafka's order (the emission order of unmatched records is part of its
 * answers). Stores written before that order was adopted hold left as 0: it still reads as left.
 */
const SIDE_BYTE = { left: 2, right: 1 } as const;

export const OuterJoinKey = {
  encode(timestamp: number, side: JoinSide, key: Buffer): Buffer {
    const out = Buffer.allocUnsafe(9 + key.length);
    writeStart(out, 0, timestamp);
    out[8] = SIDE_BYTE[side];
    key.copy(out, 9);
    return out;
  },
  decode(stored: Buffer): { timestamp: number; side: JoinSide; key: Buffer } {
    return { timestamp: readStart(stored, 0), side: stored[8] === SIDE_BYTE.right ? 'right' : 'left', key: stored.subarray(9) };
  },
  timestampOf(stored: Buffer): number {
    return readStart(stored, 0);
  },
} as const;

/**
 * The time both sides of one join in one task share (Kafka's `TimeTracker`). `streamTime`: the
 * highest timestamp either side has seen, in ms. `minTime`: Kafka's hint of the oldest record
 * waiting in the outer store — lowered when a record starts waiting, and reset by each emission
 * pass to the timestamp of the last waiting record that pass looked at (not necessarily the
 * oldest: Kafka's emission timing depends on it, so Parley keeps the same hint). Undefined
 * means unknown (a new task): the next pass looks at the store. Keyed by the task's outer store
 * instance, which both sides' processors get from their task and which a restarted task builds
 * anew.
 */
export interface JoinTimeTracker {
  streamTime: number;
  minTime: number | undefined;
}

const trackers = new WeakMap<object, JoinTimeTracker>();

export function streamTimeOf(outerStore: object): JoinTimeTracker {
  let time = trackers.get(outerStore);
  if (time === undefined) trackers.set(outerStore, (time = { streamTime: -1, minTime: undefined }));
  return time;
}
