import type { WindowedAggregateOptions } from './grouped.js';
import type { KTable } from './k-table.js';
import type { EmitStrategy, Windowed } from './windowed.js';

/**
 * A grouped stream cut into sessions of activity (Kafka's `SessionWindowedKStream`). When a
 * record joins or bridges existing sessions, they are merged: each replaced session is
 * forwarded as a tombstone, then the merged session with its new value (timestamp: the
 * session's end). Results are written with `WindowedSerdes.sessionWindowed`. Records with a null
 * key are dropped; as in Kafka, `count` and `aggregate` still see null values, `reduce` skips them.
 */
export interface SessionWindowedKStream<TKey, TValue> {
  /** 'onWindowUpdate' (default): every change; 'onWindowClose': each session's final result once. */
  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<TKey, TValue>;
  count(options?: WindowedAggregateOptions<TKey, number>): KTable<Windowed<TKey>, number>;
  reduce(reducer: (aggregate: TValue, value: TValue) => TValue, options?: WindowedAggregateOptions<TKey, TValue>): KTable<Windowed<TKey>, TValue>;
  /** `merger` combines two sessions' aggregates when a record bridges them. */
  aggregate<TAgg>(
    initializer: () => TAgg,
    aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg,
    merger: (key: TKey, left: TAgg, right: TAgg) => TAgg,
    options: WindowedAggregateOptions<TKey, TAgg>,
  ): KTable<Windowed<TKey>, TAgg>;
}
