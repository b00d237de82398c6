import type { WindowedAggregateOptions } from './grouped.js';
import type { KTable } from './k-table.js';
import type { EmitStrategy, Windowed } from './windowed.js';

/**
 * A grouped stream cut into time windows (Kafka's `TimeWindowedKStream`): tumbling, hopping
 * (`TimeWindows`) or sliding (`SlidingWindows`). Results are keyed by `Windowed<K>`, kept in a
 * timestamped window store and written with `WindowedSerdes.timeWindowed`. Late records
 * (stream time past the window's end plus grace) are dropped and reported to `onDropped`.
 * Records with a null key are dropped too; as in Kafka, `count` and `aggregate` still see
 * records with a null value (sliding windows skip them), while `reduce` skips them.
 */
export interface TimeWindowedKStream<TKey, TValue> {
  /** 'onWindowUpdate' (default): every change; 'onWindowClose': each window's final result once. */
  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<TKey, TValue>;
  count(options?: WindowedAggregateOptions<TKey, number>): KTable<Windowed<TKey>, number>;
  reduce(reducer: (aggregate: TValue, value: TValue) => TValue, options?: WindowedAggregateOptions<TKey, TValue>): KTable<Windowed<TKey>, TValue>;
  aggregate<TAgg>(
    initializer: () => TAgg,
    aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg,
    options: WindowedAggregateOptions<TKey, TAgg>,
  ): KTable<Windowed<TKey>, TAgg>;
}
