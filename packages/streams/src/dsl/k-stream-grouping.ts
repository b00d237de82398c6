import type { Grouped } from './grouped.js';
import type { KGroupedStream } from './k-grouped-stream.js';

/** The grouping operators of a KStream, ahead of an aggregation. */
export interface KStreamGrouping<TKey, TValue> {
  /**
   * Groups by the current key. Repartitions (at the aggregation) only when a key-changing
   * operator (map, flatMap, selectKey, process) came before, through
   * `<applicationId>-<Grouped.name or store name>-repartition`; records with a null key are
   * dropped on the way.
   */
  groupByKey(grouped?: Grouped<TKey, TValue>): KGroupedStream<TKey, TValue>;
  /** Groups by a new key (`Grouped.keySerde` required); always repartitions. */
  groupBy<TKeyOut>(selector: (key: TKey, value: TValue) => TKeyOut, grouped?: Grouped<TKeyOut, TValue>): KGroupedStream<TKeyOut, TValue>;
}
