import type { FixedKeyProcessorSupplierLike, ProcessorSupplierLike } from '../processor/processor.js';
import type { TopicNameExtractor } from '../processor/sink-types.js';
import type { Branched } from './branched.js';
import type { KStreamGrouping } from './k-stream-grouping.js';
import type { KStreamJoins } from './k-stream-joins.js';
import type { KTable } from './k-table.js';
import type { NamedOptions, ProcessOptions, Produced, Repartitioned, TableOperatorOptions } from './options.js';

/**
 * An unbounded stream of key-value records (Kafka's `KStream`). Operators return new streams and
 * only add nodes to the builder's graph; nothing runs until the built Topology does.
 * A null key or value read from a topic arrives as `null` whatever the type parameters say.
 * Operators that may change the key (map, flatMap, selectKey, process) mark the stream so that
 * the next stateful operator (toTable; later groupByKey, joins) first repartitions it by the new key.
 */
export interface KStream<TKey, TValue> extends KStreamJoins<TKey, TValue>, KStreamGrouping<TKey, TValue> {
  filter(predicate: (key: TKey, value: TValue) => boolean, options?: NamedOptions): KStream<TKey, TValue>;
  filterNot(predicate: (key: TKey, value: TValue) => boolean, options?: NamedOptions): KStream<TKey, TValue>;
  /** New key and value per record; marks the stream for repartitioning. */
  map<TKeyOut, TValueOut>(
    mapper: (key: TKey, value: TValue) => readonly [TKeyOut, TValueOut],
    options?: NamedOptions,
  ): KStream<TKeyOut, TValueOut>;
  mapValues<TValueOut>(mapper: (value: TValue, key: TKey) => TValueOut, options?: NamedOptions): KStream<TKey, TValueOut>;
  /** Zero or more records per record; marks the stream for repartitioning. */
  flatMap<TKeyOut, TValueOut>(
    mapper: (key: TKey, value: TValue) => Iterable<readonly [TKeyOut, TValueOut]>,
    options?: NamedOptions,
  ): KStream<TKeyOut, TValueOut>;
  flatMapValues<TValueOut>(mapper: (value: TValue, key: TKey) => Iterable<TValueOut>, options?: NamedOptions): KStream<TKey, TValueOut>;
  /** A new key per record; marks the stream for repartitioning. */
  selectKey<TKeyOut>(mapper: (key: TKey, value: TValue) => TKeyOut, options?: NamedOptions): KStream<TKeyOut, TValue>;
  /** Calls `action` for its side effect and passes the record on unchanged. */
  peek(action: (key: TKey, value: TValue) => void, options?: NamedOptions): KStream<TKey, TValue>;
  /** Terminal: calls `action` for each record. */
  foreach(action: (key: TKey, value: TValue) => void, options?: NamedOptions): void;
  /** Routes each record to the first branch whose predicate accepts it. */
  split(options?: NamedOptions): BranchedKStream<TKey, TValue>;
  /** Both streams' records in one stream; order is kept per input only. */
  merge(other: KStream<TKey, TValue>, options?: NamedOptions): KStream<TKey, TValue>;
  /** Terminal: writes to a fixed topic or to the topic a function picks per record. */
  to(topic: string | TopicNameExtractor<TKey, TValue>, produced?: Produced<TKey, TValue>): void;
  /** Writes through `<applicationId>-<name>-repartition` and reads it back, partitioned by the current key. */
  repartition(options?: Repartitioned<TKey, TValue>): KStream<TKey, TValue>;
  /** The latest value per key as a table; null values delete. Repartitions first when the key changed. */
  toTable(options?: TableOperatorOptions<TKey, Exclude<TValue, null>>): KTable<TKey, Exclude<TValue, null>>;
  /** Runs a Processor API processor; it may forward any keys, so the stream is marked for repartitioning. */
  process<TKeyOut, TValueOut>(
    supplier: ProcessorSupplierLike<TKey, TValue, TKeyOut, TValueOut>,
    options?: ProcessOptions,
  ): KStream<TKeyOut, TValueOut>;
  /** Runs a processor that can change values only (forwarded records keep the input key). */
  processValues<TValueOut>(
    supplier: FixedKeyProcessorSupplierLike<TKey, TValue, TValueOut>,
    options?: ProcessOptions,
  ): KStream<TKey, TValueOut>;
}

/** The result of `KStream.split()`: add branches, then finish with a default branch or none. */
export interface BranchedKStream<TKey, TValue> {
  branch(predicate: (key: TKey, value: TValue) => boolean, branched?: Branched<TKey, TValue>): BranchedKStream<TKey, TValue>;
  /** Records no predicate accepted go to this branch; returns the branches by name. */
  defaultBranch(branched?: Branched<TKey, TValue>): Record<string, KStream<TKey, TValue>>;
  /** Records no predicate accepted are dropped; returns the branches by name. */
  noDefaultBranch(): Record<string, KStream<TKey, TValue>>;
}
