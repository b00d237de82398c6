/**
 * @internal What KTable processors forward: a key's new value and the value it replaces (null
 * for "absent"). Carrying the old value lets downstream operators retract it: a filter turns a
 * key that stops matching into a tombstone, and aggregations subtract the old value before adding
 * the new one (KGroupedTable's adder/subtractor).
 */
export interface Change<TValue> {
  readonly newValue: TValue | null;
  readonly oldValue: TValue | null;
}
