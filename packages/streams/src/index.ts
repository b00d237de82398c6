/**
 * `@parley/streams`: a Kafka-Streams-style stream processing library. The core entry loads
 * neither kafkajs nor a native addon: the Log backends and LevelDB stores are subpath entries
 * (`@parley/streams/embedded`, `/kafka`, `/leveldb`, `/avro`, `/testing`).
 */

// Errors
export { StreamsError, TopicError, isStreamsError, STREAMS_ERROR_CODES } from './errors.js';
export type { StreamsErrorCode, StreamsErrorOptions } from './errors.js';

// Log contract
export { AbstractLog } from './log/abstract-log.js';
export { AppendBatcher, type AppendBatcherOptions } from './log/append-batcher.js';
export { murmur2, partitionForKey } from './log/partitioner.js';
export type {
  BatchHandler,
  CleanupPolicy,
  ConsumerOptions,
  Log,
  LogConsumer,
  LogRecord,
  LogSupports,
  LogTransaction,
  NewTopic,
  ProducerRecord,
  ReadOptions,
  RecordBatch,
  RecordHeaders,
  RecordMetadata,
  TopicConfig,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
  TransactionOptions,
} from './log/types.js';

// Serdes
export { Serdes } from './serde/serdes.js';
export { AbstractSerde } from './serde/abstract-serde.js';
export type { Serde } from './serde/types.js';
// Types only: the embedded backend itself stays behind `@parley/streams/embedded`.
export type { SegmentFs } from './log/embedded/segment-fs.js';
export type { SegmentCorruption } from './log/embedded/segment.js';
export type { StringSerdeOptions } from './serde/string-serde.js';

// State stores (byte level)
export { AbstractStateStore } from './state/abstract-state-store.js';
export { AbstractKeyValueStore } from './state/abstract-key-value-store.js';
export { AbstractWindowStore } from './state/abstract-window-store.js';
export { InMemoryKeyValueStore } from './state/memory/in-memory-key-value-store.js';
export { InMemoryWindowStore } from './state/memory/in-memory-window-store.js';
export { CachingKeyValueStore } from './state/internals/caching-key-value-store.js';
export { Stores } from './state/stores.js';
export type { StoreStatus } from './state/abstract-state-store.js';
export type { CachingKeyValueStoreOptions, CacheStats } from './state/internals/caching-key-value-store.js';
export type { InMemoryWindowStoreOptions } from './state/memory/in-memory-window-store.js';
export type { KeyValue, KeyValueStore, RangeOptions, StateStore, WindowedKeyValue, WindowStore } from './state/types.js';

// Processor API
export { Topology } from './processor/topology.js';
export { systemClock } from './processor/clock.js';
export { formatTaskId } from './processor/processor-context.js';
export { failOnInvalidTimestamp, skipOnInvalidTimestamp, usePartitionTimeOnInvalidTimestamp } from './processor/timestamp-extractor.js';
export { keyValueStoreBuilder, timestampedKeyValueStoreBuilder } from './state/builders/key-value-store-builder.js';
export { windowStoreBuilder, timestampedWindowStoreBuilder } from './state/builders/window-store-builder.js';
export { sessionStoreBuilder } from './state/builders/session-store-builder.js';
export type { WindowStoreBuilderOptions } from './state/builders/window-store-builder.js';
export type { SessionStoreBuilderOptions } from './state/builders/session-store-builder.js';
export type { ReadOnlyWindowStore, TimestampedWindowStore, TypedWindowStore, WindowedValue } from './state/typed/typed-window-store.js';
export type { ReadOnlySessionStore, SessionEntry, TypedSessionStore } from './state/typed/typed-session-store.js';
export type { Clock } from './processor/clock.js';
export type { SourceOptions, SinkOptions, GlobalStoreOptions } from './processor/topology.js';
export type {
  Processor,
  ProcessorSupplier,
  ProcessorSupplierLike,
  FixedKeyProcessor,
  FixedKeyProcessorSupplier,
  FixedKeyProcessorSupplierLike,
} from './processor/processor.js';
export type { Cancellable, FixedKeyProcessorContext, ProcessorContext, PunctuationType, Punctuator, TaskId } from './processor/processor-context.js';
export type { FixedKeyRecord, StreamRecord } from './processor/record.js';
export type { StreamPartitioner, TopicNameExtractor } from './processor/sink-types.js';
export type { StoreBuilder } from './state/builders/store-builder.js';
export type { ConsumedRecord, TimestampExtractor } from './processor/timestamp-extractor.js';
export type { KeyValueStoreBuilderOptions } from './state/builders/key-value-store-builder.js';
export type {
  KeyValuePair,
  ReadOnlyKeyValueStore,
  TimestampedKeyValueStore,
  TypedKeyValueStore,
  TypedRangeOptions,
  ValueAndTimestamp,
} from './state/typed/typed-key-value-store.js';

// DSL
export { StreamsBuilder } from './dsl/streams-builder.js';
export { Branched } from './dsl/branched.js';
export type { KStream, BranchedKStream } from './dsl/k-stream.js';
export type { KTable } from './dsl/k-table.js';
export { JoinWindows } from './dsl/join-windows.js';
export { TimeWindows } from './dsl/time-windows.js';
export { SlidingWindows } from './dsl/sliding-windows.js';
export { SessionWindows } from './dsl/session-windows.js';
export { WindowedSerdes } from './dsl/windowed-serdes.js';
export type { KGroupedStream } from './dsl/k-grouped-stream.js';
export type { KGroupedTable } from './dsl/k-grouped-table.js';
export type { KStreamGrouping } from './dsl/k-stream-grouping.js';
export type { KTableGrouping } from './dsl/k-table-grouping.js';
export type { TimeWindowedKStream } from './dsl/time-windowed-k-stream.js';
export type { SessionWindowedKStream } from './dsl/session-windowed-k-stream.js';
export type {
  AggregateOptions,
  DroppedRecord,
  DroppedRecordHandler,
  DroppedRecordReason,
  Grouped,
  WindowedAggregateOptions,
  WindowedMaterialized,
} from './dsl/grouped.js';
export type { EmitStrategy, Window, Windowed } from './dsl/windowed.js';
export type { GlobalKTable } from './dsl/global-k-table.js';
export type { Joined, StreamJoined, ForeignKeyJoinOptions } from './dsl/joined.js';
export type { KStreamJoins } from './dsl/k-stream-joins.js';
export type { KTableJoins } from './dsl/k-table-joins.js';
export type {
  Consumed,
  Materialized,
  NamedOptions,
  ProcessOptions,
  Produced,
  Repartitioned,
  TableConsumed,
  TableOperatorOptions,
} from './dsl/options.js';
export type {
  GlobalStoreDescription,
  NodeDescription,
  SubtopologyDescription,
  TopologyDescription,
} from './processor/internals/topology-description.js';
export type { ByteStoreFactory, ByteStoreSpec, ByteWindowStoreSpec, ChangeLogger } from './state/builders/store-builder.js';

// Running a topology
export { StreamsApp } from './app/streams-app.js';
export { resetApplication } from './app/reset-application.js';
export type { GlobalStoresLoaded, PartitionLag, StreamsAppEvents, StreamsAppState } from './app/streams-app.js';
export type { StreamsAppOptions } from './app/streams-app-options.js';
export type { RestoreProgress } from './app/task-manager.js';
export type { ResetApplicationOptions, ResetReport } from './app/reset-application.js';
