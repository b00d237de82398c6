import type { JoinRow } from './join-row.js';

/** KTable–KTable equi-join, the 15 rows of streams-semantics.md §1.3 (same key, timestamp order). */
export const TABLE_TABLE_ROWS: readonly JoinRow<'inner' | 'left' | 'outer'>[] = [
  { ts: 1, left: null, expected: { inner: [], left: [], outer: [] } },
  { ts: 2, right: null, expected: { inner: [], left: [], outer: [] } },
  { ts: 3, left: 'A', expected: { inner: [], left: ['[A,null]'], outer: ['[A,null]'] } },
  { ts: 4, right: 'a', expected: { inner: ['[A,a]'], left: ['[A,a]'], outer: ['[A,a]'] } },
  { ts: 5, left: 'B', expected: { inner: ['[B,a]'], left: ['[B,a]'], outer: ['[B,a]'] } },
  { ts: 6, right: 'b', expected: { inner: ['[B,b]'], left: ['[B,b]'], outer: ['[B,b]'] } },
  { ts: 7, left: null, expected: { inner: [null], left: [null], outer: ['[null,b]'] } },
  { ts: 8, right: null, expected: { inner: [], left: [], outer: [null] } },
  { ts: 9, left: 'C', expected: { inner: [], left: ['[C,null]'], outer: ['[C,null]'] } },
  { ts: 10, right: 'c', expected: { inner: ['[C,c]'], left: ['[C,c]'], outer: ['[C,c]'] } },
  { ts: 11, right: null, expected: { inner: [null], left: ['[C,null]'], outer: ['[C,null]'] } },
  { ts: 12, left: null, expected: { inner: [], left: [null], outer: [null] } },
  { ts: 13, right: null, expected: { inner: [], left: [], outer: [] } },
  { ts: 14, right: 'd', expected: { inner: [], left: [], outer: ['[null,d]'] } },
  { ts: 15, left: 'D', expected: { inner: ['[D,d]'], left: ['[D,d]'], outer: ['[D,d]'] } },
];
