import type { AggregateOptions } from './grouped.js';
import type { KTable } from './k-table.js';

/**
 * A table regrouped by a new key (Kafka's `KGroupedTable`). Every update of the source table
 * retracts the row's old value from its old group and adds the new value to its new group:
 *
 * | update of a source row | calls |
 * |---|---|
 * | first value (insert) | `initializer()` (if the group is new), then `adder(new)` |
 * | new value (update) | `subtractor(old)` on the old group, then `adder(new)` on the new group |
 * | tombstone (delete) | `subtractor(old)` only |
 *
 * When a subtractor (or adder) returns null the group's key is removed from the result, and a
 * later record starts it again from `initializer()`. The subtractor runs before the adder when
 * both groups are the same; across groups the order is not defined.
 */
export interface KGroupedTable<TKey, TValue> {
  /** The number of source rows per group; it goes back down when rows leave (and stays at 0). */
  count(options?: AggregateOptions<TKey, number>): KTable<TKey, number>;
  reduce(
    adder: (aggregate: TValue, value: TValue) => TValue,
    subtractor: (aggregate: TValue, value: TValue) => TValue | null,
    options?: AggregateOptions<TKey, TValue>,
  ): KTable<TKey, TValue>;
  /**
   * `options` is a fourth, trailing options object (C13's escape): the three functions keep
   * Kafka's order. The aggregate's type is new, so `materialized.valueSerde` is required.
   */
  aggregate<TAgg>(
    initializer: () => TAgg,
    adder: (key: TKey, value: TValue, aggregate: TAgg) => TAgg,
    subtractor: (key: TKey, value: TValue, aggregate: TAgg) => TAgg | null,
    options: AggregateOptions<TKey, TAgg>,
  ): KTable<TKey, TAgg>;
}
