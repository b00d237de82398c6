import type { AggregateOptions } from './grouped.js';
import type { KTable } from './k-table.js';
import type { SessionWindowedKStream } from './session-windowed-k-stream.js';
import type { SessionWindows } from './session-windows.js';
import type { SlidingWindows } from './sliding-windows.js';
import type { TimeWindowedKStream } from './time-windowed-k-stream.js';
import type { TimeWindows } from './time-windows.js';

/**
 * A stream grouped by key, ready to aggregate (Kafka's `KGroupedStream`). Each aggregation
 * keeps its result in a timestamped key-value store (named by `materialized.storeName`, else
 * `KSTREAM-AGGREGATE-STATE-STORE-<n>`), changelogged, and returns it as a KTable whose updates
 * carry the highest timestamp of the records that made them. Records with a null key or a null
 * value are skipped (reported to `onDropped`).
 */
export interface KGroupedStream<TKey, TValue> {
  /** The number of records per key; values are JS numbers, serialized as 8-byte longs (`Serdes.long()`). */
  count(options?: AggregateOptions<TKey, number>): KTable<TKey, number>;
  /** Combines the values of a key: the first value as is, then `reducer(aggregate, value)`. */
  reduce(reducer: (aggregate: TValue, value: TValue) => TValue, options?: AggregateOptions<TKey, TValue>): KTable<TKey, TValue>;
  /**
   * Folds the values of a key into an aggregate that starts as `initializer()`. The aggregate's
   * type is new, so `materialized.valueSerde` is required.
   */
  aggregate<TAgg>(
    initializer: () => TAgg,
    aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg,
    options: AggregateOptions<TKey, TAgg>,
  ): KTable<TKey, TAgg>;
  /** Aggregates per key and time window (tumbling, hopping or sliding). */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<TKey, TValue>;
  /** Aggregates per key and session of activity. */
  windowedBy(windows: SessionWindows): SessionWindowedKStream<TKey, TValue>;
}
