import type { ProcessorSupplier } from '../../processor/processor.js';
import type { Serde } from '../../serde/types.js';
import type { Grouped } from '../grouped.js';
import type { KGroupedTable } from '../k-grouped-table.js';
import type { KStream } from '../k-stream.js';
import type { KTable } from '../k-table.js';
import type { Materialized, NamedOptions, TableOperatorOptions } from '../options.js';
import type { GraphNode } from './graph/graph-node.js';
import { ProcessorGraphNode } from './graph/processor-graph-node.js';
import { assertFunction, type InternalStreamsBuilder } from './internal-streams-builder.js';
import { KStreamImpl, type StreamSerdes } from './k-stream-impl.js';
import { KTableFilter } from './stateless/k-table-filter.js';
import { tableJoin } from './joins/join-dispatch.js';
import { groupTableBy } from './aggregation/k-grouped-table-impl.js';
import { KTableMapValues } from './stateless/k-table-map-values.js';
import { KTableToStream } from './stateless/k-table-to-stream.js';
import type { KTableValueGetterSupplier } from './tables/k-table-value-getter.js';
import { materializedStoreBuilder } from './tables/table-materialization.js';

export interface KTableImplOptions<TKey, TValue> {
  builder: InternalStreamsBuilder;
  node: GraphNode;
  serdes: StreamSerdes<TKey, TValue>;
  valueGetterSupplier: KTableValueGetterSupplier<TKey, TValue>;
  queryableStoreName: string | undefined;
}

/**
 * @internal The one KTable implementation. Its node forwards `Change<TValue>` records;
 * `valueGetterSupplier` reads its current values (what joins will use).
 */
export class KTableImpl<TKey, TValue> implements KTable<TKey, TValue> {
  readonly builder: InternalStreamsBuilder;
  readonly node: GraphNode;
  readonly serdes: StreamSerdes<TKey, TValue>;
  readonly valueGetterSupplier: KTableValueGetterSupplier<TKey, TValue>;
  readonly queryableStoreName: string | undefined;

  constructor(options: KTableImplOptions<TKey, TValue>) {
    this.builder = options.builder;
    this.node = options.node;
    this.serdes = options.serdes;
    this.valueGetterSupplier = options.valueGetterSupplier;
    this.queryableStoreName = options.queryableStoreName;
  }

  filter(predicate: (key: TKey, value: TValue) => boolean, options?: TableOperatorOptions<TKey, TValue>): KTable<TKey, TValue> {
    return this.#filter(predicate, false, options);
  }

  filterNot(predicate: (key: TKey, value: TValue) => boolean, options?: TableOperatorOptions<TKey, TValue>): KTable<TKey, TValue> {
    return this.#filter(predicate, true, options);
  }

  mapValues<TValueOut>(mapper: (value: TValue, key: TKey) => TValueOut, options?: TableOperatorOptions<TKey, TValueOut>): KTable<TKey, TValueOut> {
    assertFunction(mapper, 'mapValues mapper');
    const store = this.#materialize(options?.materialized, 'KTABLE-MAPVALUES-', undefined as Serde<TValueOut> | undefined);
    const name = this.builder.names.orGenerate(options?.named, 'KTABLE-MAPVALUES-');
    const supplier = new KTableMapValues({ parent: this.valueGetterSupplier, mapper, storeName: store?.name });
    return this.#derive(name, supplier, store, {
      serdes: { keySerde: this.serdes.keySerde, valueSerde: options?.materialized?.valueSerde },
      valueGetterSupplier: supplier.valueGetterSupplier(),
    });
  }

  toStream(options?: NamedOptions): KStream<TKey, TValue | null> {
    const name = this.builder.names.orGenerate(options?.named, 'KTABLE-TOSTREAM-');
    const node = this.builder.addNode(
      new ProcessorGraphNode(name, [this.node], { supplier: new KTableToStream<TKey, TValue>() as ProcessorSupplier<never, never> }),
    );
    return new KStreamImpl<TKey, TValue | null>({
      builder: this.builder,
      node,
      serdes: this.serdes as StreamSerdes<TKey, TValue | null>,
      repartitionRequired: false,
    });
  }

  // Regrouping (see KTableGrouping): built in k-grouped-table-impl.ts.
  groupBy<TKeyOut, TValueOut>(
    selector: (key: TKey, value: TValue) => readonly [TKeyOut, TValueOut],
    grouped: Grouped<TKeyOut, TValueOut>,
  ): KGroupedTable<TKeyOut, TValueOut> {
    return groupTableBy(this, selector, grouped);
  }

  // Joins (see KTableJoins): the overloads are declared on the interface; these route by argument.
  join(...args: unknown[]): never {
    return tableJoin(this as KTableImpl<unknown, unknown>, 'inner', args) as never;
  }

  leftJoin(...args: unknown[]): never {
    return tableJoin(this as KTableImpl<unknown, unknown>, 'left', args) as never;
  }

  outerJoin(...args: unknown[]): never {
    return tableJoin(this as KTableImpl<unknown, unknown>, 'outer', args) as never;
  }

  #filter(predicate: (key: TKey, value: TValue) => boolean, filterNot: boolean, options?: TableOperatorOptions<TKey, TValue>): KTable<TKey, TValue> {
    assertFunction(predicate, 'filter predicate');
    const store = this.#materialize(options?.materialized, 'KTABLE-FILTER-', this.serdes.valueSerde);
    const name = this.builder.names.orGenerate(options?.named, 'KTABLE-FILTER-');
    const supplier = new KTableFilter({ parent: this.valueGetterSupplier, predicate, filterNot, storeName: store?.name });
    return this.#derive(name, supplier, store, { serdes: this.serdes, valueGetterSupplier: supplier.valueGetterSupplier() });
  }

  /** The store builder of a materialized operator, or undefined when not materialized. */
  #materialize<TValueOut>(materialized: Materialized<TKey, TValueOut> | undefined, prefix: string, knownValueSerde: Serde<TValueOut> | undefined) {
    return materializedStoreBuilder(this.builder, materialized, { prefix, keySerde: this.serdes.keySerde, valueSerde: knownValueSerde });
  }

  #derive<TValueOut>(
    name: string,
    supplier: ProcessorSupplier<never, never, never, never>,
    store: { name: string } | undefined,
    next: { serdes: StreamSerdes<TKey, TValueOut>; valueGetterSupplier: KTableValueGetterSupplier<TKey, TValueOut> },
  ): KTable<TKey, TValueOut> {
    const node = this.builder.addNode(
      new ProcessorGraphNode(name, [this.node], { supplier, storeBuilders: store === undefined ? [] : [store as never] }),
    );
    return new KTableImpl({ builder: this.builder, node, ...next, queryableStoreName: store?.name });
  }
}
