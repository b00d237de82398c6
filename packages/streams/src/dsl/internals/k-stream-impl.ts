import { toProcessorSupplier, type FixedKeyProcessorSupplierLike, type ProcessorSupplier, type ProcessorSupplierLike } from '../../processor/processor.js';
import type { TopicNameExtractor } from '../../processor/sink-types.js';
import { timestampedKeyValueStoreBuilder } from '../../state/builders/key-value-store-builder.js';
import type { Serde } from '../../serde/types.js';
import type { Grouped } from '../grouped.js';
import type { KGroupedStream } from '../k-grouped-stream.js';
import type { BranchedKStream, KStream } from '../k-stream.js';
import type { KTable } from '../k-table.js';
import type { NamedOptions, ProcessOptions, Produced, Repartitioned, TableOperatorOptions } from '../options.js';
import { BranchedKStreamImpl } from './branched-k-stream-impl.js';
import type { GraphNode } from './graph/graph-node.js';
import { ProcessorGraphNode } from './graph/processor-graph-node.js';
import { StreamSinkNode } from './graph/stream-sink-node.js';
import { assertFunction, type InternalStreamsBuilder } from './internal-streams-builder.js';
import { KStreamBranch } from './stateless/k-stream-branch.js';
import { KStreamFilter } from './stateless/k-stream-filter.js';
import { KStreamFlatMapValues } from './stateless/k-stream-flat-map-values.js';
import { KStreamFlatMap } from './stateless/k-stream-flat-map.js';
import { KStreamMapValues } from './stateless/k-stream-map-values.js';
import { KStreamMap } from './stateless/k-stream-map.js';
import { KStreamPassThrough } from './stateless/k-stream-pass-through.js';
import { KStreamPeek } from './stateless/k-stream-peek.js';
import { KStreamProcessValues } from './stateless/k-stream-process-values.js';
import { KTableImpl } from './k-table-impl.js';
import { KTableSource } from './tables/k-table-source.js';
import { streamJoin } from './joins/join-dispatch.js';
import { groupStreamBy, groupStreamByKey } from './aggregation/k-grouped-stream-impl.js';
import { repartitionThrough } from './repartition.js';

/** @internal The serdes a stream still knows (undefined once an operator changed the type). */
export interface StreamSerdes<TKey, TValue> {
  readonly keySerde: Serde<TKey> | undefined;
  readonly valueSerde: Serde<TValue> | undefined;
}

export interface KStreamImplOptions<TKey, TValue> {
  builder: InternalStreamsBuilder;
  node: GraphNode;
  serdes: StreamSerdes<TKey, TValue>;
  /** True after a key-changing operator: the next stateful operator repartitions first. */
  repartitionRequired: boolean;
}

/** @internal The one KStream implementation: each operator adds a graph node and wraps it. */
export class KStreamImpl<TKey, TValue> implements KStream<TKey, TValue> {
  readonly builder: InternalStreamsBuilder;
  readonly node: GraphNode;
  readonly serdes: StreamSerdes<TKey, TValue>;
  readonly repartitionRequired: boolean;

  constructor(options: KStreamImplOptions<TKey, TValue>) {
    this.builder = options.builder;
    this.node = options.node;
    this.serdes = options.serdes;
    this.repartitionRequired = options.repartitionRequired;
  }

  filter(predicate: (key: TKey, value: TValue) => boolean, options?: NamedOptions): KStream<TKey, TValue> {
    assertFunction(predicate, 'filter predicate');
    return this.addProcessor('KSTREAM-FILTER-', new KStreamFilter(predicate, false), { named: options?.named, serdes: this.serdes });
  }

  filterNot(predicate: (key: TKey, value: TValue) => boolean, options?: NamedOptions): KStream<TKey, TValue> {
    assertFunction(predicate, 'filterNot predicate');
    return this.addProcessor('KSTREAM-FILTER-', new KStreamFilter(predicate, true), { named: options?.named, serdes: this.serdes });
  }

  map<TKeyOut, TValueOut>(mapper: (key: TKey, value: TValue) => readonly [TKeyOut, TValueOut], options?: NamedOptions): KStream<TKeyOut, TValueOut> {
    assertFunction(mapper, 'map mapper');
    return this.addProcessor('KSTREAM-MAP-', new KStreamMap(mapper), { named: options?.named, serdes: NO_SERDES, repartition: true });
  }

  mapValues<TValueOut>(mapper: (value: TValue, key: TKey) => TValueOut, options?: NamedOptions): KStream<TKey, TValueOut> {
    assertFunction(mapper, 'mapValues mapper');
    const serdes = { keySerde: this.serdes.keySerde, valueSerde: undefined };
    return this.addProcessor('KSTREAM-MAPVALUES-', new KStreamMapValues(mapper), { named: options?.named, serdes });
  }

  flatMap<TKeyOut, TValueOut>(
    mapper: (key: TKey, value: TValue) => Iterable<readonly [TKeyOut, TValueOut]>,
    options?: NamedOptions,
  ): KStream<TKeyOut, TValueOut> {
    assertFunction(mapper, 'flatMap mapper');
    return this.addProcessor('KSTREAM-FLATMAP-', new KStreamFlatMap(mapper), { named: options?.named, serdes: NO_SERDES, repartition: true });
  }

  flatMapValues<TValueOut>(mapper: (value: TValue, key: TKey) => Iterable<TValueOut>, options?: NamedOptions): KStream<TKey, TValueOut> {
    assertFunction(mapper, 'flatMapValues mapper');
    const serdes = { keySerde: this.serdes.keySerde, valueSerde: undefined };
    return this.addProcessor('KSTREAM-FLATMAPVALUES-', new KStreamFlatMapValues(mapper), { named: options?.named, serdes });
  }

  selectKey<TKeyOut>(mapper: (key: TKey, value: TValue) => TKeyOut, options?: NamedOptions): KStream<TKeyOut, TValue> {
    assertFunction(mapper, 'selectKey mapper');
    const supplier = new KStreamMap<TKey, TValue, TKeyOut, TValue>((key, value) => [mapper(key, value), value]);
    const serdes = { keySerde: undefined, valueSerde: this.serdes.valueSerde };
    return this.addProcessor('KSTREAM-KEY-SELECT-', supplier, { named: options?.named, serdes, repartition: true });
  }

  peek(action: (key: TKey, value: TValue) => void, options?: NamedOptions): KStream<TKey, TValue> {
    assertFunction(action, 'peek action');
    return this.addProcessor('KSTREAM-PEEK-', new KStreamPeek(action, true), { named: options?.named, serdes: this.serdes });
  }

  foreach(action: (key: TKey, value: TValue) => void, options?: NamedOptions): void {
    assertFunction(action, 'foreach action');
    this.addProcessor('KSTREAM-FOREACH-', new KStreamPeek(action, false), { named: options?.named, serdes: this.serdes });
  }

  split(options?: NamedOptions): BranchedKStream<TKey, TValue> {
    const name = this.builder.names.orGenerate(options?.named, 'KSTREAM-BRANCH-');
    const splitter = new KStreamBranch<TKey, TValue>();
    const node = this.builder.addNode(new ProcessorGraphNode(name, [this.node], { supplier: splitter as ProcessorSupplier<never, never> }));
    return new BranchedKStreamImpl({ source: this, splitterName: name, splitter, splitterNode: node });
  }

  merge(other: KStream<TKey, TValue>, options?: NamedOptions): KStream<TKey, TValue> {
    if (!(other instanceof KStreamImpl) || other.builder !== this.builder) throw new TypeError('merge needs a stream of the same StreamsBuilder');
    const name = this.builder.names.orGenerate(options?.named, 'KSTREAM-MERGE-');
    const node = this.builder.addNode(new ProcessorGraphNode(name, [this.node, other.node], { supplier: new KStreamPassThrough() as ProcessorSupplier<never, never> }));
    const same = <T>(a: T | undefined, b: T | undefined): T | undefined => (a === b ? a : undefined);
    return new KStreamImpl({
      builder: this.builder,
      node,
      serdes: { keySerde: same(this.serdes.keySerde, other.serdes.keySerde), valueSerde: same(this.serdes.valueSerde, other.serdes.valueSerde) },
      repartitionRequired: this.repartitionRequired || other.repartitionRequired,
    });
  }

  to(topic: string | TopicNameExtractor<TKey, TValue>, produced: Produced<TKey, TValue> = {}): void {
    const name = this.builder.names.orGenerate(produced.named, 'KSTREAM-SINK-');
    const where = typeof topic === 'function' ? { topicExtractor: topic as TopicNameExtractor<unknown, unknown> } : { topic };
    if (typeof topic !== 'function' && (typeof topic !== 'string' || topic.length === 0)) throw new TypeError('to() needs a topic name or a topic extractor');
    this.builder.addNode(
      new StreamSinkNode(name, this.node, {
        ...where,
        keySerde: this.requireKeySerde(produced.keySerde, 'to') as Serde<unknown>,
        valueSerde: this.requireValueSerde(produced.valueSerde, 'to') as Serde<unknown>,
        ...(produced.partitioner === undefined ? {} : { partitioner: produced.partitioner as never }),
      } as never),
    );
  }

  repartition(options: Repartitioned<TKey, TValue> = {}): KStream<TKey, TValue> {
    const keySerde = this.requireKeySerde(options.keySerde, 'repartition');
    const valueSerde = this.requireValueSerde(options.valueSerde, 'repartition');
    const prefix = options.name ?? this.builder.names.newProcessorName('KSTREAM-REPARTITION-');
    const node = repartitionThrough(this.builder, this.node, {
      prefix,
      keySerde,
      valueSerde,
      filterNullKeys: false,
      partitions: options.partitions,
      partitioner: options.partitioner,
    });
    return new KStreamImpl({ builder: this.builder, node, serdes: { keySerde, valueSerde }, repartitionRequired: false });
  }

  /**
   * @internal Extension point for stateful operators (toTable; groupByKey and joins later): the
   * node to attach to, repartitioned through `<prefix>-repartition` when the key may have changed.
   */
  repartitionIfRequired(prefix: string, keySerde: Serde<TKey>, valueSerde: Serde<TValue>): GraphNode {
    if (!this.repartitionRequired) return this.node;
    return repartitionThrough(this.builder, this.node, {
      prefix,
      keySerde,
      valueSerde,
      filterNullKeys: true,
      partitions: undefined,
      partitioner: undefined,
    });
  }

  toTable(options: TableOperatorOptions<TKey, Exclude<TValue, null>> = {}): KTable<TKey, Exclude<TValue, null>> {
    const name = this.builder.names.orGenerate(options.named, 'KSTREAM-TOTABLE-');
    const materialized = options.materialized ?? {};
    const storeName = materialized.storeName ?? this.builder.names.newStoreName('KSTREAM-TOTABLE-');
    const keySerde = this.requireKeySerde(materialized.keySerde, 'toTable');
    const valueSerde = (materialized.valueSerde ?? this.requireValueSerde(undefined, 'toTable')) as Serde<Exclude<TValue, null>>;
    const upstream = this.repartitionIfRequired(name, keySerde, valueSerde as Serde<TValue>);
    const source = new KTableSource<TKey, Exclude<TValue, null>>(storeName);
    const storeBuilder = timestampedKeyValueStoreBuilder({
      name: storeName,
      keySerde,
      valueSerde,
      ...(materialized.persistent === undefined ? {} : { persistent: materialized.persistent }),
      ...(materialized.logging === undefined ? {} : { logging: materialized.logging }),
    });
    const node = this.builder.addNode(
      new ProcessorGraphNode(name, [upstream], { supplier: source as ProcessorSupplier<never, never>, storeBuilders: [storeBuilder as never] }),
    );
    return new KTableImpl({
      builder: this.builder,
      node,
      serdes: { keySerde, valueSerde },
      valueGetterSupplier: source.valueGetterSupplier(),
      queryableStoreName: storeName,
    });
  }

  process<TKeyOut, TValueOut>(supplier: ProcessorSupplierLike<TKey, TValue, TKeyOut, TValueOut>, options?: ProcessOptions): KStream<TKeyOut, TValueOut> {
    return this.addProcessor('KSTREAM-PROCESSOR-', toProcessorSupplier(supplier), {
      named: options?.named,
      serdes: NO_SERDES,
      repartition: true,
      stores: options?.stores,
    });
  }

  processValues<TValueOut>(supplier: FixedKeyProcessorSupplierLike<TKey, TValue, TValueOut>, options?: ProcessOptions): KStream<TKey, TValueOut> {
    const fixed = typeof supplier === 'function' ? { get: supplier } : supplier;
    if (typeof fixed?.get !== 'function') throw new TypeError('processValues needs a function or an object with get()');
    return this.addProcessor('KSTREAM-PROCESSVALUES-', new KStreamProcessValues(fixed), {
      named: options?.named,
      serdes: { keySerde: this.serdes.keySerde, valueSerde: undefined },
      stores: options?.stores,
    });
  }

  // Grouping (see KStreamGrouping): built in k-grouped-stream-impl.ts.
  groupByKey(grouped?: Grouped<TKey, TValue>): KGroupedStream<TKey, TValue> {
    return groupStreamByKey(this, grouped);
  }

  groupBy<TKeyOut>(selector: (key: TKey, value: TValue) => TKeyOut, grouped?: Grouped<TKeyOut, TValue>): KGroupedStream<TKeyOut, TValue> {
    return groupStreamBy(this, selector, grouped);
  }

  // Joins (see KStreamJoins): the overloads are declared on the interface; these route by argument.
  join(...args: unknown[]): never {
    return streamJoin(this as KStreamImpl<unknown, unknown>, 'inner', args) as never;
  }

  leftJoin(...args: unknown[]): never {
    return streamJoin(this as KStreamImpl<unknown, unknown>, 'left', args) as never;
  }

  outerJoin(...args: unknown[]): never {
    return streamJoin(this as KStreamImpl<unknown, unknown>, 'outer', args) as never;
  }

  /** @internal Adds a processor node downstream of this stream and wraps it as a stream. */
  addProcessor<TKeyOut, TValueOut>(
    prefix: string,
    supplier: ProcessorSupplier<TKey, TValue, TKeyOut, TValueOut>,
    spec: { named: string | undefined; serdes: StreamSerdes<TKeyOut, TValueOut>; repartition?: boolean; stores?: readonly string[] | undefined },
  ): KStreamImpl<TKeyOut, TValueOut> {
    const name = this.builder.names.orGenerate(spec.named, prefix);
    const node = this.builder.addNode(
      new ProcessorGraphNode(name, [this.node], {
        // Topology.addProcessor adds and connects the stores of `supplier.stores()` itself.
        supplier: supplier as ProcessorSupplier<never, never>,
        connectedStores: spec.stores ?? [],
      }),
    );
    return new KStreamImpl({
      builder: this.builder,
      node,
      serdes: spec.serdes,
      repartitionRequired: (spec.repartition ?? false) || this.repartitionRequired,
    });
  }

  /** @internal The key serde given, else the stream's own, else a TypeError naming the operator. */
  requireKeySerde(given: Serde<TKey> | undefined, operator: string): Serde<TKey> {
    const serde = given ?? this.serdes.keySerde;
    if (serde === undefined) throw new TypeError(`${operator}: the key type changed upstream, so pass a keySerde`);
    return serde;
  }

  /** @internal The value serde given, else the stream's own, else a TypeError naming the operator. */
  requireValueSerde(given: Serde<TValue> | undefined, operator: string): Serde<TValue> {
    const serde = given ?? this.serdes.valueSerde;
    if (serde === undefined) throw new TypeError(`${operator}: the value type changed upstream, so pass a valueSerde`);
    return serde;
  }
}

const NO_SERDES: StreamSerdes<never, never> = { keySerde: undefined, valueSerde: undefined };
