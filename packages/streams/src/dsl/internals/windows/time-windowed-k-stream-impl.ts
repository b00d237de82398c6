import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import { timestampedWindowStoreBuilder } from '../../../state/builders/window-store-builder.js';
import { Serdes } from '../../../serde/serdes.js';
import type { Serde } from '../../../serde/types.js';
import type { WindowedAggregateOptions } from '../../grouped.js';
import type { KTable } from '../../k-table.js';
import { SlidingWindows } from '../../sliding-windows.js';
import type { TimeWindowedKStream } from '../../time-windowed-k-stream.js';
import type { TimeWindows } from '../../time-windows.js';
import type { EmitStrategy, Windowed } from '../../windowed.js';
import { WindowedSerdes } from '../../windowed-serdes.js';
import { aggregateStoreOptions } from '../aggregation/aggregate-store-options.js';
import type { GroupedStreamAggregateBuilder } from '../aggregation/grouped-stream-aggregate-builder.js';
import { assertFunction } from '../internal-streams-builder.js';
import { KStreamSlidingWindowAggregate } from './k-stream-sliding-window-aggregate.js';
import { KStreamWindowAggregate } from './k-stream-window-aggregate.js';
import { windowStoreValueGetterSupplier } from './windowed-value-getter.js';

export interface TimeWindowedKStreamImplOptions<TKey, TValue> {
  aggregates: GroupedStreamAggregateBuilder<TKey, TValue>;
  windows: TimeWindows | SlidingWindows;
  emitStrategy: EmitStrategy;
}

interface Fold<TKey, TValue, TAgg> {
  initializer: () => TAgg;
  aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg;
  skipNullValues: boolean;
}

/**
 * @internal Time-windowed aggregations (Kafka's `TimeWindowedKStreamImpl` and
 * `SlidingWindowedKStreamImpl`): a timestamped window store (retention: size + grace, or twice
 * the time difference + grace + 1 ms for sliding windows, unless set) and the matching processor.
 */
export class TimeWindowedKStreamImpl<TKey, TValue> implements TimeWindowedKStream<TKey, TValue> {
  readonly #options: TimeWindowedKStreamImplOptions<TKey, TValue>;

  constructor(options: TimeWindowedKStreamImplOptions<TKey, TValue>) {
    this.#options = options;
  }

  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<TKey, TValue> {
    assertEmitStrategy(strategy);
    return new TimeWindowedKStreamImpl({ ...this.#options, emitStrategy: strategy });
  }

  count(options: WindowedAggregateOptions<TKey, number> = {}): KTable<Windowed<TKey>, number> {
    const fold = { initializer: () => 0, aggregator: (_k: TKey, _v: TValue, n: number) => n + 1, skipNullValues: false };
    return this.#aggregate('KSTREAM-AGGREGATE-', options, Serdes.long(), fold);
  }

  reduce(reducer: (aggregate: TValue, value: TValue) => TValue, options: WindowedAggregateOptions<TKey, TValue> = {}): KTable<Windowed<TKey>, TValue> {
    assertFunction(reducer, 'reduce reducer');
    // Kafka's reduce-as-aggregate: no initial value, the first value is the aggregate.
    const fold = {
      initializer: () => null as TValue | null,
      aggregator: (_k: TKey, value: TValue, aggregate: TValue | null) => (aggregate === null ? value : reducer(aggregate, value)),
      skipNullValues: true,
    };
    return this.#aggregate('KSTREAM-REDUCE-', options, this.#options.aggregates.source.valueSerde, fold as Fold<TKey, TValue, TValue>);
  }

  aggregate<TAgg>(
    initializer: () => TAgg,
    aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg,
    options: WindowedAggregateOptions<TKey, TAgg>,
  ): KTable<Windowed<TKey>, TAgg> {
    assertFunction(initializer, 'aggregate initializer');
    assertFunction(aggregator, 'aggregate aggregator');
    return this.#aggregate('KSTREAM-AGGREGATE-', options ?? {}, undefined, { initializer, aggregator, skipNullValues: false });
  }

  #aggregate<TAgg>(
    prefix: string,
    options: WindowedAggregateOptions<TKey, TAgg>,
    defaultValueSerde: Serde<TAgg> | undefined,
    fold: Fold<TKey, TValue, TAgg>,
  ): KTable<Windowed<TKey>, TAgg> {
    const { aggregates, windows, emitStrategy } = this.#options;
    const { builder, keySerde } = aggregates.source;
    const sliding = windows instanceof SlidingWindows;
    const span = sliding ? windows.timeDifferenceMs : windows.sizeMs;
    // Sliding windows read windows up to 2d before a record; the extra ms covers right windows
    // starting 1 ms after the newest record (Kafka's segmented stores keep such slack anyway).
    const minRetention = (sliding ? 2 * span + 1 : span) + windows.graceMs;
    const retentionMs = options.materialized?.retentionMs ?? minRetention;
    if (!(retentionMs >= minRetention)) throw new RangeError(`retentionMs must be at least ${minRetention} ms for these windows, got ${retentionMs}`);
    const store = aggregateStoreOptions(builder, prefix, { operator: 'windowed aggregation', materialized: options.materialized, keySerde, valueSerde: defaultValueSerde });
    const processorName = builder.names.orGenerate(options.named, prefix);
    const common = { processorName, storeName: store.name, emitStrategy, onDropped: options.onDropped, initializer: fold.initializer, aggregator: fold.aggregator };
    const supplier = windows instanceof SlidingWindows
      ? new KStreamSlidingWindowAggregate<TKey, TValue, TAgg>({ ...common, windows })
      : new KStreamWindowAggregate<TKey, TValue, TAgg>({ ...common, windows, skipNullValues: fold.skipNullValues });
    return aggregates.build({
      processorName,
      storeName: store.name,
      supplier: supplier as ProcessorSupplier<never, never, never, never>,
      storeBuilder: timestampedWindowStoreBuilder({ ...store, retentionMs, timeIndexed: emitStrategy === 'onWindowClose' }) as StoreBuilder<unknown>,
      keySerde: WindowedSerdes.timeWindowed(store.keySerde, span),
      valueSerde: store.valueSerde,
      valueGetterSupplier: windowStoreValueGetterSupplier<TKey, TAgg>(store.name),
    });
  }
}

/** @internal Rejects anything but 'onWindowUpdate' and 'onWindowClose'. */
export function assertEmitStrategy(strategy: unknown): asserts strategy is EmitStrategy {
  if (strategy !== 'onWindowUpdate' && strategy !== 'onWindowClose') {
    throw new TypeError(`emitStrategy must be 'onWindowUpdate' or 'onWindowClose', got ${String(strategy)}`);
  }
}
