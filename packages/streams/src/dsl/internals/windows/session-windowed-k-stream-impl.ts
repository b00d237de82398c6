import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import { sessionStoreBuilder } from '../../../state/builders/session-store-builder.js';
import { Serdes } from '../../../serde/serdes.js';
import type { Serde } from '../../../serde/types.js';
import type { WindowedAggregateOptions } from '../../grouped.js';
import type { KTable } from '../../k-table.js';
import type { SessionWindowedKStream } from '../../session-windowed-k-stream.js';
import type { SessionWindows } from '../../session-windows.js';
import type { EmitStrategy, Windowed } from '../../windowed.js';
import { WindowedSerdes } from '../../windowed-serdes.js';
import { aggregateStoreOptions } from '../aggregation/aggregate-store-options.js';
import type { GroupedStreamAggregateBuilder } from '../aggregation/grouped-stream-aggregate-builder.js';
import { assertFunction } from '../internal-streams-builder.js';
import { KStreamSessionWindowAggregate } from './k-stream-session-window-aggregate.js';
import { assertEmitStrategy } from './time-windowed-k-stream-impl.js';
import { sessionStoreValueGetterSupplier } from './windowed-value-getter.js';

export interface SessionWindowedKStreamImplOptions<TKey, TValue> {
  aggregates: GroupedStreamAggregateBuilder<TKey, TValue>;
  windows: SessionWindows;
  emitStrategy: EmitStrategy;
}

interface SessionFold<TKey, TValue, TAgg> {
  initializer: () => TAgg;
  aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg;
  merger: (key: TKey, left: TAgg, right: TAgg) => TAgg;
  skipNullValues: boolean;
}

/**
 * @internal Session-windowed aggregations (Kafka's `SessionWindowedKStreamImpl`): a session
 * store (retention: inactivity gap + grace, counted from session ends, unless set) and the
 * session processor.
 */
export class SessionWindowedKStreamImpl<TKey, TValue> implements SessionWindowedKStream<TKey, TValue> {
  readonly #options: SessionWindowedKStreamImplOptions<TKey, TValue>;

  constructor(options: SessionWindowedKStreamImplOptions<TKey, TValue>) {
    this.#options = options;
  }

  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<TKey, TValue> {
    assertEmitStrategy(strategy);
    return new SessionWindowedKStreamImpl({ ...this.#options, emitStrategy: strategy });
  }

  count(options: WindowedAggregateOptions<TKey, number> = {}): KTable<Windowed<TKey>, number> {
    const fold = {
      initializer: () => 0,
      aggregator: (_k: TKey, _v: TValue, n: number) => n + 1,
      merger: (_k: TKey, left: number, right: number) => left + right,
      skipNullValues: false,
    };
    return this.#aggregate('KSTREAM-AGGREGATE-', options, Serdes.long(), fold);
  }

  reduce(reducer: (aggregate: TValue, value: TValue) => TValue, options: WindowedAggregateOptions<TKey, TValue> = {}): KTable<Windowed<TKey>, TValue> {
    assertFunction(reducer, 'reduce reducer');
    const combine = (left: TValue | null, right: TValue): TValue => (left === null ? right : reducer(left, right));
    const fold = {
      initializer: () => null as TValue | null,
      aggregator: (_k: TKey, value: TValue, aggregate: TValue | null) => combine(aggregate, value),
      merger: (_k: TKey, left: TValue | null, right: TValue) => combine(left, right),
      skipNullValues: true,
    };
    return this.#aggregate('KSTREAM-REDUCE-', options, this.#options.aggregates.source.valueSerde, fold as SessionFold<TKey, TValue, TValue>);
  }

  aggregate<TAgg>(
    initializer: () => TAgg,
    aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg,
    merger: (key: TKey, left: TAgg, right: TAgg) => TAgg,
    options: WindowedAggregateOptions<TKey, TAgg>,
  ): KTable<Windowed<TKey>, TAgg> {
    assertFunction(initializer, 'aggregate initializer');
    assertFunction(aggregator, 'aggregate aggregator');
    assertFunction(merger, 'aggregate merger');
    return this.#aggregate('KSTREAM-AGGREGATE-', options ?? {}, undefined, { initializer, aggregator, merger, skipNullValues: false });
  }

  #aggregate<TAgg>(
    prefix: string,
    options: WindowedAggregateOptions<TKey, TAgg>,
    defaultValueSerde: Serde<TAgg> | undefined,
    fold: SessionFold<TKey, TValue, TAgg>,
  ): KTable<Windowed<TKey>, TAgg> {
    const { aggregates, windows, emitStrategy } = this.#options;
    const { builder, keySerde } = aggregates.source;
    const minRetention = windows.inactivityGapMs + windows.graceMs;
    const retentionMs = options.materialized?.retentionMs ?? minRetention;
    if (!(retentionMs >= minRetention)) throw new RangeError(`retentionMs must be at least ${minRetention} ms for these sessions, got ${retentionMs}`);
    const store = aggregateStoreOptions(builder, prefix, { operator: 'session aggregation', materialized: options.materialized, keySerde, valueSerde: defaultValueSerde });
    const processorName = builder.names.orGenerate(options.named, prefix);
    const supplier = new KStreamSessionWindowAggregate<TKey, TValue, TAgg>({
      processorName,
      storeName: store.name,
      windows,
      emitStrategy,
      ...fold,
      onDropped: options.onDropped,
    });
    return aggregates.build({
      processorName,
      storeName: store.name,
      supplier: supplier as ProcessorSupplier<never, never, never, never>,
      storeBuilder: sessionStoreBuilder({ ...store, retentionMs, timeIndexed: emitStrategy === 'onWindowClose' }) as StoreBuilder<unknown>,
      keySerde: WindowedSerdes.sessionWindowed(store.keySerde),
      valueSerde: store.valueSerde,
      valueGetterSupplier: sessionStoreValueGetterSupplier<TKey, TAgg>(store.name),
    });
  }
}
