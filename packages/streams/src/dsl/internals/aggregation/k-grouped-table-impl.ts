import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import { timestampedKeyValueStoreBuilder } from '../../../state/builders/key-value-store-builder.js';
import { Serdes } from '../../../serde/serdes.js';
import type { Serde } from '../../../serde/types.js';
import type { AggregateOptions, Grouped } from '../../grouped.js';
import type { KGroupedTable } from '../../k-grouped-table.js';
import type { KTable } from '../../k-table.js';
import { aggregateStoreOptions } from './aggregate-store-options.js';
import type { Change } from '../tables/change.js';
import { ChangeSerde } from '../tables/change-serde.js';
import type { GraphNode } from '../graph/graph-node.js';
import { ProcessorGraphNode } from '../graph/processor-graph-node.js';
import { RepartitionNode } from '../graph/repartition-node.js';
import { assertFunction, type InternalStreamsBuilder } from '../internal-streams-builder.js';
import { KTableAggregate } from './k-table-aggregate.js';
import { KTableImpl } from '../k-table-impl.js';
import { KTableReduce } from './k-table-reduce.js';
import { KTableRepartitionMap } from './k-table-repartition-map.js';
import { storeValueGetterSupplier } from '../tables/k-table-value-getter.js';

const AGGREGATE = 'KTABLE-AGGREGATE-';
const REDUCE = 'KTABLE-REDUCE-';

/**
 * @internal `KTable.groupBy`: a processor (named `Grouped.name`, else `KTABLE-SELECT-<n>`) maps
 * each update's old and new value to their groups; aggregations read them back through a
 * repartition topic that carries both values. The new key and value types need serdes.
 */
export function groupTableBy<TKey, TValue, TKeyOut, TValueOut>(
  table: KTableImpl<TKey, TValue>,
  selector: (key: TKey, value: TValue) => readonly [TKeyOut, TValueOut],
  grouped: Grouped<TKeyOut, TValueOut> = {},
): KGroupedTable<TKeyOut, TValueOut> {
  assertFunction(selector, 'groupBy selector');
  const { keySerde, valueSerde } = grouped;
  if (keySerde === undefined || valueSerde === undefined) throw new TypeError('KTable.groupBy selects a new key and value: pass Grouped.keySerde and Grouped.valueSerde');
  const name = table.builder.names.orGenerate(grouped.name, 'KTABLE-SELECT-');
  const supplier = new KTableRepartitionMap<TKey, TValue, TKeyOut, TValueOut>({ selector, keySerde });
  const node = table.builder.addNode(new ProcessorGraphNode(name, [table.node], { supplier: supplier as ProcessorSupplier<never, never> }));
  return new KGroupedTableImpl({ builder: table.builder, node, keySerde, valueSerde, repartitionName: grouped.name });
}

interface KGroupedTableSource<TKey, TValue> {
  builder: InternalStreamsBuilder;
  node: GraphNode;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  repartitionName: string | undefined;
}

/** @internal The one KGroupedTable implementation (Kafka's `KGroupedTableImpl`). */
export class KGroupedTableImpl<TKey, TValue> implements KGroupedTable<TKey, TValue> {
  readonly #source: KGroupedTableSource<TKey, TValue>;
  #repartitionNode: GraphNode | undefined;

  constructor(source: KGroupedTableSource<TKey, TValue>) {
    this.#source = source;
  }

  count(options: AggregateOptions<TKey, number> = {}): KTable<TKey, number> {
    return this.#aggregate(AGGREGATE, options, Serdes.long(), (storeName) =>
      new KTableAggregate<TKey, TValue, number>({ storeName, initializer: () => 0, adder: (_k, _v, n) => n + 1, subtractor: (_k, _v, n) => n - 1 }),
    );
  }

  reduce(
    adder: (aggregate: TValue, value: TValue) => TValue,
    subtractor: (aggregate: TValue, value: TValue) => TValue | null,
    options: AggregateOptions<TKey, TValue> = {},
  ): KTable<TKey, TValue> {
    assertFunction(adder, 'reduce adder');
    assertFunction(subtractor, 'reduce subtractor');
    return this.#aggregate(REDUCE, options, this.#source.valueSerde, (storeName) => new KTableReduce<TKey, TValue>({ storeName, adder, subtractor }));
  }

  aggregate<TAgg>(
    initializer: () => TAgg,
    adder: (key: TKey, value: TValue, aggregate: TAgg) => TAgg,
    subtractor: (key: TKey, value: TValue, aggregate: TAgg) => TAgg | null,
    options: AggregateOptions<TKey, TAgg>,
  ): KTable<TKey, TAgg> {
    assertFunction(initializer, 'aggregate initializer');
    assertFunction(adder, 'aggregate adder');
    assertFunction(subtractor, 'aggregate subtractor');
    return this.#aggregate(AGGREGATE, options ?? {}, undefined, (storeName) => new KTableAggregate({ storeName, initializer, adder, subtractor }));
  }

  /** Kafka's naming order: store, repartition sink and source, then the processor. */
  #aggregate<TAgg>(
    prefix: string,
    options: AggregateOptions<TKey, TAgg>,
    defaultValueSerde: Serde<TAgg> | undefined,
    supplier: (storeName: string) => ProcessorSupplier<TKey, Change<TValue>, TKey, Change<TAgg>>,
  ): KTable<TKey, TAgg> {
    const { builder, keySerde } = this.#source;
    const operator = prefix === REDUCE ? 'reduce' : 'aggregate';
    const store = aggregateStoreOptions(builder, prefix, { operator, materialized: options.materialized, keySerde, valueSerde: defaultValueSerde });
    const sinkName = builder.names.newProcessorName('KSTREAM-SINK-');
    const sourceName = builder.names.newProcessorName('KSTREAM-SOURCE-');
    const processorName = builder.names.orGenerate(options.named, prefix);
    const parent = this.#repartition(store.name, sinkName, sourceName);
    const node = builder.addNode(
      new ProcessorGraphNode(processorName, [parent], {
        supplier: supplier(store.name) as ProcessorSupplier<never, never>,
        storeBuilders: [timestampedKeyValueStoreBuilder(store) as StoreBuilder<unknown>],
      }),
    );
    return new KTableImpl({
      builder,
      node,
      serdes: { keySerde: store.keySerde, valueSerde: store.valueSerde },
      valueGetterSupplier: storeValueGetterSupplier(store.name),
      queryableStoreName: store.name,
    });
  }

  /** A Grouped name makes one topic all aggregations share; otherwise each gets `<store>-repartition`. */
  #repartition(storeName: string, sinkName: string, sourceName: string): GraphNode {
    const { builder, node, keySerde, valueSerde, repartitionName } = this.#source;
    if (this.#repartitionNode !== undefined && repartitionName !== undefined) return this.#repartitionNode;
    this.#repartitionNode = builder.addNode(
      new RepartitionNode(node, {
        topic: `${repartitionName ?? storeName}-repartition`,
        sinkName,
        sourceName,
        nullKeyFilterName: undefined,
        keySerde: keySerde as Serde<unknown>,
        valueSerde: new ChangeSerde(valueSerde) as Serde<unknown>,
        partitions: undefined,
        partitioner: undefined,
      }),
    );
    return this.#repartitionNode;
  }
}
