import type { Serde } from '../../serde/types.js';
import type { ProcessorSupplier } from '../processor.js';
import type { StreamPartitioner, TopicNameExtractor } from '../sink-types.js';
import type { StoreBuilder } from '../../state/builders/store-builder.js';
import type { TimestampExtractor } from '../timestamp-extractor.js';

/*
 * The topology's node definitions: plain data that every task instantiates. Serdes and
 * suppliers are stored untyped (unknown); the public Topology/DSL methods carry the types.
 */

export interface SourceNodeDefinition {
  readonly kind: 'source';
  readonly name: string;
  /** Topic names as written in the topology; internal topics get the application id prefix at run time. */
  readonly topics: readonly string[];
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly children: string[];
}

export interface ProcessorNodeDefinition {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  readonly parents: readonly string[];
  readonly children: string[];
  /** Names of the stores connected to this processor, in connection order. */
  readonly stores: string[];
}

export interface SinkNodeDefinition {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic: string | undefined;
  readonly topicExtractor: TopicNameExtractor<unknown, unknown> | undefined;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly partitioner: StreamPartitioner<unknown, unknown> | undefined;
  readonly parents: readonly string[];
}

export type NodeDefinition = SourceNodeDefinition | ProcessorNodeDefinition | SinkNodeDefinition;

export interface StoreRegistration {
  readonly builder: StoreBuilder<unknown>;
  /** Processors the store is connected to. */
  readonly processors: string[];
  readonly global: boolean;
}

export interface GlobalStoreDefinition {
  readonly storeName: string;
  readonly sourceName: string;
  readonly processorName: string;
  readonly topic: string;
}

/** Settings of an internal (repartition) topic, by its un-prefixed name. */
export interface InternalTopicConfig {
  /** Partition count; undefined means "same as the upstream source topics" (the engine decides). */
  readonly partitions: number | undefined;
}

/** The read-only view of a Topology that the description and plan builders work from. */
export interface TopologySnapshot {
  readonly nodes: ReadonlyMap<string, NodeDefinition>;
  readonly stores: ReadonlyMap<string, StoreRegistration>;
  readonly globalStores: readonly GlobalStoreDefinition[];
  readonly globalNodes: ReadonlySet<string>;
  readonly internalTopics: ReadonlyMap<string, InternalTopicConfig>;
  readonly copartitionGroups: readonly (readonly string[])[];
}
