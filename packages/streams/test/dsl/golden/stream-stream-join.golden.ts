import { all, type JoinRow } from './join-row.js';

type Kind = 'inner' | 'left' | 'outer';
const KINDS: readonly Kind[] = ['inner', 'left', 'outer'];

/** Window and grace of the stream–stream table: 15 s and 5 s; row timestamps are in seconds. */
export const STREAM_STREAM_WINDOW_MS = 15_000;
export const STREAM_STREAM_GRACE_MS = 5_000;
export const SECOND = 1_000;

/**
 * KStream–KStream windowed join, streams-semantics.md §1.3 (rows with null inputs omitted there:
 * they never trigger). Rows 3–15 lie inside one window, so every kind joins every pair.
 *
 * Rows 40–100 are about when LEFT/OUTER emit a record that found no partner: only once stream time
 * has passed the record's window end plus grace (KAFKA-10847). The reference says E's window plus
 * grace "closes at ts 60" (40 + 15 + 5); stream time *reaching* 60 does not close it yet — a
 * partner stamped 55 may still arrive at stream time 60 and must match E — so, exactly as Kafka's
 * `KStreamKStreamJoin` compares (`ts + window + grace >= streamTime` means open), E is emitted by
 * the first record after 60: f at 80. Likewise F (closes at 80) is emitted by G at 100, and f
 * (right side, closes at 100) by the next record after 100, row 101 (added here to show it).
 * Unmatched records carry their own timestamp.
 */
export const STREAM_STREAM_ROWS: readonly JoinRow<Kind>[] = [
  { ts: 3, left: 'A', expected: all(KINDS, []) },
  { ts: 4, right: 'a', expected: all(KINDS, ['[A,a]']) },
  { ts: 5, left: 'B', expected: all(KINDS, ['[B,a]']) },
  { ts: 6, right: 'b', expected: all(KINDS, ['[A,b]', '[B,b]']) },
  { ts: 9, left: 'C', expected: all(KINDS, ['[C,a]', '[C,b]']) },
  { ts: 10, right: 'c', expected: all(KINDS, ['[A,c]', '[B,c]', '[C,c]']) },
  { ts: 14, right: 'd', expected: all(KINDS, ['[A,d]', '[B,d]', '[C,d]']) },
  { ts: 15, left: 'D', expected: all(KINDS, ['[D,a]', '[D,b]', '[D,c]', '[D,d]']) },
  { ts: 40, left: 'E', expected: all(KINDS, []) },
  { ts: 60, left: 'F', expected: all(KINDS, []) },
  { ts: 80, right: 'f', expected: { inner: [], left: ['[E,null]'], outer: ['[E,null]'] } },
  { ts: 100, left: 'G', expected: { inner: [], left: ['[F,null]'], outer: ['[F,null]'] } },
  { ts: 101, left: 'H', expected: { inner: [], left: [], outer: ['[null,f]'] } },
];
