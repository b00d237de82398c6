import type { Serde } from '../serde/types.js';
import type {
  GlobalStoreDefinition,
  InternalTopicConfig,
  NodeDefinition,
  StoreRegistration,
  TopologySnapshot,
} from './internals/node-definitions.js';
import { describeTopology, type TopologyDescription } from './internals/topology-description.js';
import { buildTopologyPlan, type TopologyPlan } from './internals/topology-plan.js';
import { toProcessorSupplier, type ProcessorSupplierLike } from './processor.js';
import type { StreamPartitioner, TopicNameExtractor } from './sink-types.js';
import type { StoreBuilder } from '../state/builders/store-builder.js';
import type { TimestampExtractor } from './timestamp-extractor.js';

export interface SourceOptions<TKey, TValue> {
  name: string;
  topics: string | readonly string[];
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  /** Default: the log timestamp, failing on negative ones (`failOnInvalidTimestamp`). */
  timestampExtractor?: TimestampExtractor;
}

interface SinkCommon<TKey, TValue> {
  name: string;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  /** Default: murmur2 over the serialized key (Kafka's default partitioner). */
  partitioner?: StreamPartitioner<TKey, TValue>;
}

export type SinkOptions<TKey, TValue> = SinkCommon<TKey, TValue> &
  ({ topic: string; topicExtractor?: never } | { topicExtractor: TopicNameExtractor<TKey, TValue>; topic?: never });

export interface GlobalStoreOptions<TKey, TValue> {
  /** The store; global stores are never changelogged (their topic is their changelog). */
  storeBuilder: StoreBuilder<unknown>;
  sourceName: string;
  topic: string;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  timestampExtractor?: TimestampExtractor;
  processorName: string;
  /** Writes each record of the topic into the store; it cannot forward. */
  processorSupplier: ProcessorSupplierLike<TKey, TValue>;
}

/**
 * A graph of sources, processors and sinks with their state stores: what a Processor API user
 * builds by hand and what `StreamsBuilder.build()` produces. Misuse (a duplicate name, an unknown
 * parent) throws a TypeError at the call that caused it.
 */
export class Topology {
  readonly #nodes = new Map<string, NodeDefinition>();
  readonly #stores = new Map<string, StoreRegistration>();
  readonly #globalStores: GlobalStoreDefinition[] = [];
  readonly #globalNodes = new Set<string>();
  readonly #topicToSource = new Map<string, string>();
  readonly #internalTopics = new Map<string, InternalTopicConfig>();
  readonly #copartitionGroups: string[][] = [];

  addSource<TKey, TValue>(options: SourceOptions<TKey, TValue>): this {
    const topics = typeof options.topics === 'string' ? [options.topics] : [...options.topics];
    this.#assertNewName(options.name);
    if (topics.length === 0) throw new TypeError(`source ${options.name} needs at least one topic`);
    for (const topic of topics) this.#claimTopic(topic, options.name);
    assertSerdes(options, `source ${options.name}`);
    this.#nodes.set(options.name, {
      kind: 'source',
      name: options.name,
      topics,
      keySerde: options.keySerde as Serde<unknown>,
      valueSerde: options.valueSerde as Serde<unknown>,
      timestampExtractor: options.timestampExtractor,
      children: [],
    });
    return this;
  }

  addProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>(
    name: string,
    supplier: ProcessorSupplierLike<TKeyIn, TValueIn, TKeyOut, TValueOut>,
    ...parentNames: string[]
  ): this {
    this.#assertNewName(name);
    const normalized = toProcessorSupplier(supplier);
    this.#assertParents(name, parentNames);
    const parents = [...parentNames];
    this.#nodes.set(name, {
      kind: 'processor',
      name,
      supplier: normalized as never,
      parents,
      children: [],
      stores: [],
    });
    this.#link(name, parents);
    for (const builder of normalized.stores?.() ?? []) {
      if (!this.#stores.has(builder.name)) this.addStateStore(builder);
      this.connectProcessorAndStateStores(name, builder.name);
    }
    return this;
  }

  addSink<TKey, TValue>(options: SinkOptions<TKey, TValue>, ...parentNames: string[]): this {
    this.#assertNewName(options.name);
    const hasTopic = typeof options.topic === 'string' && options.topic.length > 0;
    const hasExtractor = typeof options.topicExtractor === 'function';
    if (hasTopic === hasExtractor) throw new TypeError(`sink ${options.name} needs exactly one of topic or topicExtractor`);
    assertSerdes(options, `sink ${options.name}`);
    this.#assertParents(options.name, parentNames);
    const parents = [...parentNames];
    this.#nodes.set(options.name, {
      kind: 'sink',
      name: options.name,
      topic: options.topic,
      topicExtractor: options.topicExtractor as TopicNameExtractor<unknown, unknown> | undefined,
      keySerde: options.keySerde as Serde<unknown>,
      valueSerde: options.valueSerde as Serde<unknown>,
      partitioner: options.partitioner as StreamPartitioner<unknown, unknown> | undefined,
      parents,
    });
    this.#link(options.name, parents);
    return this;
  }

  /** Adds a store and connects it to the named processors (more can be connected later). */
  addStateStore(builder: StoreBuilder<unknown>, ...processorNames: string[]): this {
    if (builder === null || typeof builder !== 'object' || typeof builder.build !== 'function') {
      throw new TypeError('addStateStore needs a StoreBuilder');
    }
    if (this.#stores.has(builder.name)) throw new TypeError(`store ${builder.name} is already added`);
    this.#stores.set(builder.name, { builder, processors: [], global: false });
    for (const processor of processorNames) this.connectProcessorAndStateStores(processor, builder.name);
    return this;
  }

  connectProcessorAndStateStores(processorName: string, ...storeNames: string[]): this {
    const node = this.#nodes.get(processorName);
    if (node?.kind !== 'processor') throw new TypeError(`${processorName} is not a processor of this topology`);
    if (this.#globalNodes.has(processorName)) throw new TypeError(`${processorName} is a global store processor`);
    for (const storeName of storeNames) {
      const store = this.#stores.get(storeName);
      if (store === undefined) throw new TypeError(`store ${storeName} is not in this topology`);
      if (store.global) throw new TypeError(`global store ${storeName} is readable by every processor; do not connect it`);
      if (!node.stores.includes(storeName)) node.stores.push(storeName);
      if (!store.processors.includes(processorName)) store.processors.push(processorName);
    }
    return this;
  }

  /** A store filled from `topic` by its own processor and replicated in full to every task. */
  addGlobalStore<TKey, TValue>(options: GlobalStoreOptions<TKey, TValue>): this {
    const { storeBuilder: builder } = options;
    if (this.#stores.has(builder.name)) throw new TypeError(`store ${builder.name} is already added`);
    this.addSource({ ...options, name: options.sourceName, topics: [options.topic] });
    this.addProcessor(options.processorName, options.processorSupplier, options.sourceName);
    this.#globalNodes.add(options.sourceName).add(options.processorName);
    this.#stores.set(builder.name, { builder, processors: [options.processorName], global: true });
    (this.#nodes.get(options.processorName) as { stores: string[] }).stores.push(builder.name);
    this.#globalStores.push({
      storeName: builder.name,
      sourceName: options.sourceName,
      processorName: options.processorName,
      topic: options.topic,
    });
    return this;
  }

  /** The topology as stable text (`toString()`) and as data. */
  describe(): TopologyDescription {
    return describeTopology(this.#snapshot());
  }

  /**
   * @internal Declares a topic the application owns (a repartition topic). Its run-time name is
   * `<applicationId>-<name>`; `name` should end in `-repartition`.
   */
  addInternalTopic(name: string, config: { partitions?: number } = {}): this {
    if (config.partitions !== undefined && (!Number.isInteger(config.partitions) || config.partitions < 1)) {
      throw new RangeError(`partitions of ${name} must be a positive integer`);
    }
    this.#internalTopics.set(name, { partitions: config.partitions });
    return this;
  }

  /** @internal Declares source topics that must have the same partition count (join inputs). */
  copartition(topics: readonly string[]): this {
    if (topics.length > 1) this.#copartitionGroups.push([...topics]);
    return this;
  }

  /** @internal What the engine and the TopologyTestDriver run: sub-topologies, stores, topics. */
  plan(applicationId: string): TopologyPlan {
    if (typeof applicationId !== 'string' || !/^[a-zA-Z0-9._-]+$/.test(applicationId)) {
      throw new TypeError(`applicationId must be non-empty [a-zA-Z0-9._-], got ${JSON.stringify(applicationId)}`);
    }
    return buildTopologyPlan(this.#snapshot(), applicationId);
  }

  #snapshot(): TopologySnapshot {
    return {
      nodes: this.#nodes,
      stores: this.#stores,
      globalStores: this.#globalStores,
      globalNodes: this.#globalNodes,
      internalTopics: this.#internalTopics,
      copartitionGroups: this.#copartitionGroups,
    };
  }

  #assertNewName(name: unknown): asserts name is string {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('node names must be non-empty strings');
    if (this.#nodes.has(name)) throw new TypeError(`node ${name} is already in this topology`);
  }

  #claimTopic(topic: string, sourceName: string): void {
    if (typeof topic !== 'string' || topic.length === 0) throw new TypeError(`source ${sourceName}: topics must be non-empty strings`);
    const owner = this.#topicToSource.get(topic);
    if (owner !== undefined) throw new TypeError(`topic ${topic} is already read by source ${owner}`);
    this.#topicToSource.set(topic, sourceName);
  }

  #assertParents(name: string, parents: readonly string[]): void {
    if (parents.length === 0) throw new TypeError(`${name} needs at least one parent`);
    for (const parent of parents) {
      const node = this.#nodes.get(parent);
      if (node === undefined) throw new TypeError(`${name}: parent ${parent} is not in this topology`);
      if (node.kind === 'sink') throw new TypeError(`${name}: parent ${parent} is a sink`);
      if (this.#globalNodes.has(parent)) throw new TypeError(`${name}: parent ${parent} belongs to a global store`);
      if (parent === name) throw new TypeError(`${name} cannot be its own parent`);
    }
  }

  #link(child: string, parents: readonly string[]): void {
    for (const parent of parents) {
      const node = this.#nodes.get(parent) as { children: string[] };
      if (!node.children.includes(child)) node.children.push(child);
    }
  }
}

function assertSerdes(options: { keySerde: unknown; valueSerde: unknown }, what: string): void {
  for (const [field, serde] of [['keySerde', options.keySerde], ['valueSerde', options.valueSerde]] as const) {
    const s = serde as { serialize?: unknown; deserialize?: unknown } | null | undefined;
    if (typeof s?.serialize !== 'function' || typeof s.deserialize !== 'function') {
      throw new TypeError(`${what}: ${field} must be a Serde`);
    }
  }
}
