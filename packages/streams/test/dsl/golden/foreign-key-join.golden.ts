/**
 * Foreign-key join (KTable → KTable), derived from streams-semantics.md §1.3, which describes it
 * rather than tabulating it:
 *   (a) left value → foreignKeyExtractor → right key; an inner join ignores a null foreign key, a
 *       left join joins it with null (KIP-962, Kafka 3.7+);
 *   (b) one left update yields at most one output;
 *   (c) one right update yields one output per left row referencing it (`(q,10,baz),(r,10,baz)`);
 *   (d) a left tombstone yields an output tombstone — Kafka Streams sends it even when the key was
 *       not in the result, since nothing on the left side knows whether the old row joined;
 *   (e) a left join emits (k, fk, null) when the right row is missing.
 * Every row was checked against Kafka Streams 3.9.2 itself (packages/streams/test/differential,
 * issue 18): rows 11 (inner) and 12 (left) are where the reading of the docs was wrong.
 *
 * Here `left` is `<left key>=<foreign key>` (foreign key `-` means null; `<key>=` alone a left
 * tombstone) and `right` is `<right key>=<value>` (`<key>=` a right tombstone). Outputs are
 * `(k,fk,right)` or `k:null` for a tombstone. Why each row outputs what it does:
 */
export interface ForeignKeyRow {
  readonly ts: number;
  readonly left?: string;
  readonly right?: string;
  readonly expected: { readonly inner: readonly string[]; readonly left: readonly string[] };
  readonly why: string;
}

export const FOREIGN_KEY_ROWS: readonly ForeignKeyRow[] = [
  { ts: 1, left: 'p=10', expected: { inner: [], left: ['(p,10,null)'] }, why: 'no right row 10: inner has nothing to join, left joins null (e)' },
  { ts: 2, right: '10=foo', expected: { inner: ['(p,10,foo)'], left: ['(p,10,foo)'] }, why: 'p references 10 (c)' },
  { ts: 3, left: 'q=10', expected: { inner: ['(q,10,foo)'], left: ['(q,10,foo)'] }, why: 'a new row referencing an existing right row (b)' },
  { ts: 4, right: '20=bar', expected: { inner: [], left: [] }, why: 'nothing references 20 yet (c: zero rows)' },
  { ts: 5, left: 'p=20', expected: { inner: ['(p,20,bar)'], left: ['(p,20,bar)'] }, why: 'p moves to 20: one output, the unsubscription from 10 answers nothing (b)' },
  { ts: 6, left: 'r=10', expected: { inner: ['(r,10,foo)'], left: ['(r,10,foo)'] }, why: 'r references 10' },
  { ts: 7, left: 's=30', expected: { inner: [], left: ['(s,30,null)'] }, why: 'no right row 30 (e)' },
  { ts: 8, left: 'p=', expected: { inner: ['p:null'], left: ['p:null'] }, why: 'left tombstone, p was in the result (d)' },
  { ts: 9, right: '10=baz', expected: { inner: ['(q,10,baz)', '(r,10,baz)'], left: ['(q,10,baz)', '(r,10,baz)'] }, why: 'the reference row: q and r reference 10 (c)' },
  { ts: 10, right: '10=', expected: { inner: ['q:null', 'r:null'], left: ['(q,10,null)', '(r,10,null)'] }, why: 'right row deleted: inner rows leave the result, left rows join null' },
  { ts: 11, left: 'q=', expected: { inner: ['q:null'], left: ['q:null'] }, why: 'left tombstone: a tombstone in both joins, though q had already left the inner result (d)' },
  { ts: 12, left: 't=-', expected: { inner: [], left: ['(t,-,null)'] }, why: 'a null foreign key: ignored by the inner join, joined with null by the left one (a)' },
  { ts: 13, right: '30=qux', expected: { inner: ['(s,30,qux)'], left: ['(s,30,qux)'] }, why: 's references 30 (c)' },
  { ts: 14, left: 's=40', expected: { inner: ['s:null'], left: ['(s,40,null)'] }, why: 's moves to the missing 40: leaves the inner result, left joins null (b, e)' },
  { ts: 15, left: 'u=', expected: { inner: [], left: [] }, why: 'tombstone of a key never in the result (d)' },
];
