import type { JoinRow } from './join-row.js';

/**
 * KStream–KTable join, the 15 rows of streams-semantics.md §1.3: the stream (left) triggers, the
 * table (right) only updates state; a null stream value never joins.
 */
export const STREAM_TABLE_ROWS: readonly JoinRow<'inner' | 'left'>[] = [
  { ts: 1, left: null, expected: { inner: [], left: [] } },
  { ts: 2, right: null, expected: { inner: [], left: [] } },
  { ts: 3, left: 'A', expected: { inner: [], left: ['[A,null]'] } },
  { ts: 4, right: 'a', expected: { inner: [], left: [] } },
  { ts: 5, left: 'B', expected: { inner: ['[B,a]'], left: ['[B,a]'] } },
  { ts: 6, right: 'b', expected: { inner: [], left: [] } },
  { ts: 7, left: null, expected: { inner: [], left: [] } },
  { ts: 8, right: null, expected: { inner: [], left: [] } },
  { ts: 9, left: 'C', expected: { inner: [], left: ['[C,null]'] } },
  { ts: 10, right: 'c', expected: { inner: [], left: [] } },
  { ts: 11, right: null, expected: { inner: [], left: [] } },
  { ts: 12, left: null, expected: { inner: [], left: [] } },
  { ts: 13, right: null, expected: { inner: [], left: [] } },
  { ts: 14, right: 'd', expected: { inner: [], left: [] } },
  { ts: 15, left: 'D', expected: { inner: ['[D,d]'], left: ['[D,d]'] } },
];
