/**
 * One step of a golden join table (streams-semantics.md §1.3): at `ts`, a record arrives on the
 * left and/or right input (undefined: nothing on that side; null: a tombstone / null value), all
 * with the same key unless `key` says otherwise. `expected` lists, per join kind, the records the
 * join outputs in this step: `[l,r]` is the joiner's result (a null side printed as `null`),
 * `null` is an output tombstone, and an empty list is the table's "—".
 */
export interface JoinRow<TKinds extends string> {
  readonly ts: number;
  readonly left?: string | null;
  readonly right?: string | null;
  readonly expected: Readonly<Record<TKinds, readonly (string | null)[]>>;
}

/** The joiner every golden test uses: `[left,right]`. */
export const formatJoin = (left: string | null, right: string | null): string => `[${left ?? 'null'},${right ?? 'null'}]`;

/** Same expectation for every kind. */
export function all<TKinds extends string>(kinds: readonly TKinds[], outputs: readonly (string | null)[]): Record<TKinds, readonly (string | null)[]> {
  return Object.fromEntries(kinds.map((k) => [k, outputs])) as Record<TKinds, readonly (string | null)[]>;
}
