import type { Grouped } from './grouped.js';
import type { KGroupedTable } from './k-grouped-table.js';

/** The regrouping operator of a KTable, ahead of an aggregation. */
export interface KTableGrouping<TKey, TValue> {
  /**
   * Regroups the rows by `selector(key, value) → [newKey, newValue]` (Grouped serdes required).
   * Always repartitions, carrying each update's old and new value so the aggregation can
   * subtract the one and add the other. Pairs with a null key or value are left out.
   */
  groupBy<TKeyOut, TValueOut>(
    selector: (key: TKey, value: TValue) => readonly [TKeyOut, TValueOut],
    grouped: Grouped<TKeyOut, TValueOut>,
  ): KGroupedTable<TKeyOut, TValueOut>;
}
