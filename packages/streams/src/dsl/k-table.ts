import type { KStream } from './k-stream.js';
import type { KTableGrouping } from './k-table-grouping.js';
import type { KTableJoins } from './k-table-joins.js';
import type { NamedOptions, TableOperatorOptions } from './options.js';

/**
 * A changelog stream seen as a table: the latest value per key (Kafka's `KTable`). Updates flow
 * downstream as (new value, old value) pairs, so a filter turns a key that stops matching into a
 * tombstone. Operators are not materialized unless given `materialized`; their current values
 * are still readable through the parent's store (the value getter joins will use).
 */
export interface KTable<TKey, TValue> extends KTableJoins<TKey, TValue>, KTableGrouping<TKey, TValue> {
  /** The store holding this table's values, if it is materialized. */
  readonly queryableStoreName: string | undefined;
  /** Keys whose value fails the predicate are deleted (a tombstone is forwarded if they were present). */
  filter(predicate: (key: TKey, value: TValue) => boolean, options?: TableOperatorOptions<TKey, TValue>): KTable<TKey, TValue>;
  filterNot(predicate: (key: TKey, value: TValue) => boolean, options?: TableOperatorOptions<TKey, TValue>): KTable<TKey, TValue>;
  mapValues<TValueOut>(
    mapper: (value: TValue, key: TKey) => TValueOut,
    options?: TableOperatorOptions<TKey, TValueOut>,
  ): KTable<TKey, TValueOut>;
  /** The table's updates as a stream; deletions arrive as null values. */
  toStream(options?: NamedOptions): KStream<TKey, TValue | null>;
}
