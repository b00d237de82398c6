import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import { timestampedKeyValueStoreBuilder } from '../../../state/builders/key-value-store-builder.js';
import { Serdes } from '../../../serde/serdes.js';
import type { Serde } from '../../../serde/types.js';
import type { AggregateOptions, Grouped } from '../../grouped.js';
import type { KGroupedStream } from '../../k-grouped-stream.js';
import type { KTable } from '../../k-table.js';
import type { SessionWindowedKStream } from '../../session-windowed-k-stream.js';
import { SessionWindows } from '../../session-windows.js';
import { SlidingWindows } from '../../sliding-windows.js';
import type { TimeWindowedKStream } from '../../time-windowed-k-stream.js';
import { TimeWindows } from '../../time-windows.js';
import { aggregateStoreOptions } from './aggregate-store-options.js';
import type { Change } from '../tables/change.js';
import { ProcessorGraphNode } from '../graph/processor-graph-node.js';
import { GroupedStreamAggregateBuilder, type GroupedStreamSource } from './grouped-stream-aggregate-builder.js';
import { assertFunction } from '../internal-streams-builder.js';
import { KStreamAggregate } from './k-stream-aggregate.js';
import type { KStreamImpl } from '../k-stream-impl.js';
import { KStreamMap } from '../stateless/k-stream-map.js';
import { KStreamReduce } from './k-stream-reduce.js';
import { storeValueGetterSupplier } from '../tables/k-table-value-getter.js';
import { SessionWindowedKStreamImpl } from '../windows/session-windowed-k-stream-impl.js';
import { TimeWindowedKStreamImpl } from '../windows/time-windowed-k-stream-impl.js';

const AGGREGATE = 'KSTREAM-AGGREGATE-';
const REDUCE = 'KSTREAM-REDUCE-';

/** @internal `KStream.groupByKey`: repartitions (at aggregation) only when a key-changing operator marked the stream. */
export function groupStreamByKey<TKey, TValue>(stream: KStreamImpl<TKey, TValue>, grouped: Grouped<TKey, TValue> = {}): KGroupedStream<TKey, TValue> {
  const keySerde = grouped.keySerde ?? stream.serdes.keySerde;
  const valueSerde = grouped.valueSerde ?? stream.serdes.valueSerde;
  if (stream.repartitionRequired && (keySerde === undefined || valueSerde === undefined)) {
    throw new TypeError('groupByKey: the key or value type changed upstream, so the stream is repartitioned: pass Grouped serdes');
  }
  return new KGroupedStreamImpl({
    builder: stream.builder,
    node: stream.node,
    keySerde,
    valueSerde,
    repartitionRequired: stream.repartitionRequired,
    repartitionName: grouped.name,
  });
}

/** @internal `KStream.groupBy`: selects the new key (a processor named `Grouped.name` if given) and always repartitions. */
export function groupStreamBy<TKey, TValue, TKeyOut>(
  stream: KStreamImpl<TKey, TValue>,
  selector: (key: TKey, value: TValue) => TKeyOut,
  grouped: Grouped<TKeyOut, TValue> = {},
): KGroupedStream<TKeyOut, TValue> {
  assertFunction(selector, 'groupBy selector');
  const keySerde = grouped.keySerde;
  const valueSerde = grouped.valueSerde ?? stream.serdes.valueSerde;
  if (keySerde === undefined) throw new TypeError('groupBy: the key type changes, so pass Grouped.keySerde');
  if (valueSerde === undefined) throw new TypeError('groupBy: the value type changed upstream, so pass Grouped.valueSerde');
  const name = stream.builder.names.orGenerate(grouped.name, 'KSTREAM-KEY-SELECT-');
  const supplier = new KStreamMap<TKey, TValue, TKeyOut, TValue>((key, value) => [selector(key, value), value]);
  const node = stream.builder.addNode(new ProcessorGraphNode(name, [stream.node], { supplier: supplier as ProcessorSupplier<never, never> }));
  return new KGroupedStreamImpl({ builder: stream.builder, node, keySerde, valueSerde, repartitionRequired: true, repartitionName: grouped.name });
}

/** @internal The one KGroupedStream implementation. */
export class KGroupedStreamImpl<TKey, TValue> implements KGroupedStream<TKey, TValue> {
  readonly #aggregates: GroupedStreamAggregateBuilder<TKey, TValue>;

  constructor(source: GroupedStreamSource<TKey, TValue>) {
    this.#aggregates = new GroupedStreamAggregateBuilder(source);
  }

  count(options: AggregateOptions<TKey, number> = {}): KTable<TKey, number> {
    return this.#aggregate(AGGREGATE, options, Serdes.long(), (processorName, storeName) =>
      new KStreamAggregate<TKey, TValue, number>({ processorName, storeName, initializer: () => 0, aggregator: (_k, _v, n) => n + 1, onDropped: options.onDropped }),
    );
  }

  reduce(reducer: (aggregate: TValue, value: TValue) => TValue, options: AggregateOptions<TKey, TValue> = {}): KTable<TKey, TValue> {
    assertFunction(reducer, 'reduce reducer');
    return this.#aggregate(REDUCE, options, this.#aggregates.source.valueSerde, (processorName, storeName) =>
      new KStreamReduce<TKey, TValue>({ processorName, storeName, reducer, onDropped: options.onDropped }),
    );
  }

  aggregate<TAgg>(
    initializer: () => TAgg,
    aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg,
    options: AggregateOptions<TKey, TAgg>,
  ): KTable<TKey, TAgg> {
    assertFunction(initializer, 'aggregate initializer');
    assertFunction(aggregator, 'aggregate aggregator');
    return this.#aggregate(AGGREGATE, options ?? {}, undefined, (processorName, storeName) =>
      new KStreamAggregate<TKey, TValue, TAgg>({ processorName, storeName, initializer, aggregator, onDropped: options?.onDropped }),
    );
  }

  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<TKey, TValue>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<TKey, TValue>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedKStream<TKey, TValue> | SessionWindowedKStream<TKey, TValue> {
    if (windows instanceof SessionWindows) return new SessionWindowedKStreamImpl({ aggregates: this.#aggregates, windows, emitStrategy: 'onWindowUpdate' });
    if (windows instanceof TimeWindows || windows instanceof SlidingWindows) {
      return new TimeWindowedKStreamImpl({ aggregates: this.#aggregates, windows, emitStrategy: 'onWindowUpdate' });
    }
    throw new TypeError('windowedBy needs TimeWindows, SlidingWindows or SessionWindows');
  }

  #aggregate<TAgg>(
    prefix: string,
    options: AggregateOptions<TKey, TAgg>,
    defaultValueSerde: Serde<TAgg> | undefined,
    supplier: (processorName: string, storeName: string) => ProcessorSupplier<TKey, TValue, TKey, Change<TAgg>>,
  ): KTable<TKey, TAgg> {
    const { builder, keySerde } = this.#aggregates.source;
    const store = aggregateStoreOptions(builder, prefix, {
      operator: prefix === REDUCE ? 'reduce' : 'aggregate',
      materialized: options.materialized,
      keySerde,
      valueSerde: defaultValueSerde,
    });
    const processorName = builder.names.orGenerate(options.named, prefix);
    const processor = supplier(processorName, store.name);
    return this.#aggregates.build({
      processorName,
      storeName: store.name,
      supplier: processor as ProcessorSupplier<never, never, never, never>,
      storeBuilder: timestampedKeyValueStoreBuilder(store) as StoreBuilder<unknown>,
      keySerde: store.keySerde,
      valueSerde: store.valueSerde,
      valueGetterSupplier: storeValueGetterSupplier(store.name),
    });
  }
}
