import type { StreamPartitioner } from '../processor/sink-types.js';
import type { TimestampExtractor } from '../processor/timestamp-extractor.js';
import type { Serde } from '../serde/types.js';

/** Pins the name of the processor an operator adds (instead of `KSTREAM-FILTER-0000000003`). */
export interface NamedOptions {
  named?: string;
}

/** How a source topic is read (Kafka's `Consumed`). */
export interface Consumed<TKey, TValue> extends NamedOptions {
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  /** Default: the log timestamp, failing on negative ones. */
  timestampExtractor?: TimestampExtractor;
}

/**
 * How a stream is written to a topic (Kafka's `Produced`). Serdes default to the stream's own
 * when it still has them (no operator changed the key or value type since the source).
 */
export interface Produced<TKey, TValue> extends NamedOptions {
  keySerde?: Serde<TKey>;
  valueSerde?: Serde<TValue>;
  /** Default: murmur2 over the serialized key. */
  partitioner?: StreamPartitioner<TKey, TValue>;
}

/** How a KTable or a stateful operator keeps its state (Kafka's `Materialized`). */
export interface Materialized<TKey, TValue> {
  /** Store name; also names the changelog `<applicationId>-<storeName>-changelog`. Generated when omitted. */
  storeName?: string;
  keySerde?: Serde<TKey>;
  valueSerde?: Serde<TValue>;
  /** LevelDB (true, the default) or memory (false). */
  persistent?: boolean;
  /** Changelog the store; default true. */
  logging?: boolean;
}

/** Options of `KStream.repartition` (Kafka's `Repartitioned`). */
export interface Repartitioned<TKey, TValue> {
  /** Names the topic `<applicationId>-<name>-repartition` and its sink/source nodes. */
  name?: string;
  keySerde?: Serde<TKey>;
  valueSerde?: Serde<TValue>;
  /** Partition count of the repartition topic; default: as many as the upstream source topics. */
  partitions?: number;
  partitioner?: StreamPartitioner<TKey, TValue>;
}

/** Options of operators that may materialize a table. */
export interface TableOperatorOptions<TKey, TValue> extends NamedOptions {
  materialized?: Materialized<TKey, TValue>;
}

/** Options of `builder.table`. */
export interface TableConsumed<TKey, TValue> extends Consumed<TKey, TValue> {
  materialized?: Omit<Materialized<TKey, TValue>, 'keySerde' | 'valueSerde'>;
}

/** Options of `process` / `processValues`: the processor's name and the stores it uses. */
export interface ProcessOptions extends NamedOptions {
  /** Names of stores added with `StreamsBuilder.addStateStore`, connected to this processor. */
  stores?: readonly string[];
}
