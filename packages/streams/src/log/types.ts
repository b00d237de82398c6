/**
 * The Log contract: what Parley needs from "Kafka". Two backends implement it (EmbeddedLog,
 * KafkaLog) and both pass the same conformance suite (`logConformance` in ./testing).
 *
 * Offsets are plain numbers (exact up to 2^53, far past any realistic partition length).
 * Timestamps are milliseconds since the epoch.
 */

/** Header values are raw bytes, as in Kafka. */
export type RecordHeaders = Record<string, Buffer>;

/** A record handed to `Log.append`. A null value on a compacted topic is a tombstone. */
export interface ProducerRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeaders;
  /** Defaults to the time of the append. */
  timestamp?: number;
  /** Explicit partition; otherwise chosen from the key with Kafka's murmur2 partitioner. */
  partition?: number;
}

/** A record as stored in a partition. */
export interface LogRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
  timestamp: number;
}

export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
}

export type CleanupPolicy = 'delete' | 'compact';

export interface TopicConfig {
  /** `delete` (default) drops old segments after `retentionMs`; `compact` keeps the latest value per key. */
  cleanupPolicy?: CleanupPolicy;
  /** Time-based retention for `delete` topics, in milliseconds; -1 (default) keeps everything. */
  retentionMs?: number;
  /** How long a tombstone stays readable on a compacted topic, in milliseconds (Kafka: delete.retention.ms, default 1 day). */
  deleteRetentionMs?: number;
}

export interface NewTopic {
  name: string;
  /** Default 1. */
  partitions?: number;
  config?: TopicConfig;
}

export interface TopicDescription {
  name: string;
  partitions: number;
  config: Required<TopicConfig>;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  offset: number;
}

export interface ReadOptions {
  /** Upper bound on records returned by one read; default 1000. */
  maxRecords?: number;
}

/** A batch of records from one partition, delivered to a consumer's handler. */
export interface RecordBatch {
  topic: string;
  partition: number;
  records: LogRecord[];
  /** The partition's end offset (the offset the next appended record will get) when the batch was read. */
  highWatermark: number;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where to start a partition that has no committed offset: 'earliest' (default) or 'latest'. */
  autoOffsetReset?: 'earliest' | 'latest';
  /** Upper bound on records per delivered batch; default 1000. */
  maxBatchRecords?: number;
  /** Called after a rebalance gives this member partitions, before any of their records are delivered. */
  onAssigned?: (partitions: TopicPartition[]) => Promise<void> | void;
  /** Called before partitions are taken away, after the last batch handler for them has returned. */
  onRevoked?: (partitions: TopicPartition[]) => Promise<void> | void;
  /**
   * Called when the batch handler (or a rebalance callback) throws. The member leaves the group
   * before this is called. Default: the error is printed to stderr.
   */
  onError?: (err: unknown) => void;
}

export type BatchHandler = (batch: RecordBatch) => Promise<void> | void;

/**
 * A member of a consumer group. Records are delivered batch by batch; the next batch is fetched
 * only after the handler's promise resolves, so a slow handler applies back-pressure.
 * Offsets are committed explicitly with `commit` (no auto-commit).
 */
export interface LogConsumer {
  readonly groupId: string;
  /**
   * Joins the group and starts delivering. Resolves once the member has joined and its first
   * assignment was handled: `onAssigned` has returned for it (not called when the member got no
   * partitions) and `assignment()` answers it. If handling it failed (a callback threw, the
   * backend could not position the partitions), the member leaves and `run` resolves after
   * `onError` was called. Rejects when the member cannot join at all. A later rebalance (another
   * member joining or leaving) may change the assignment at any time after that.
   */
  run(handler: BatchHandler): Promise<void>;
  /** The partitions this member owns now. */
  assignment(): TopicPartition[];
  /** Moves the fetch position of an owned partition; takes effect before the next batch of it. */
  seek(tp: TopicPartition, offset: number): void;
  pause(tps: TopicPartition[]): void;
  resume(tps: TopicPartition[]): void;
  /** Commits offsets for this member's group (the offset of the next record to read). */
  commit(offsets: TopicPartitionOffset[]): Promise<void>;
  /** Leaves the group after the current handler returns. */
  stop(): Promise<void>;
}

/** Options of `Log.transaction`. */
export interface TransactionOptions {
  /**
   * Names the transactional producer across restarts. Opening a transaction with an id fences
   * every older producer that used it: their appends and commits fail.
   */
  transactionalId: string;
  /**
   * Starts a new producer session for the id first (Kafka: a new InitProducerId), as a new
   * process would: it fences every other holder of the id, an earlier session of this same log
   * included, and aborts a transaction such a holder left open. Default false: reuse this log's
   * session for the id. An engine sets it when it (re)takes a task, so a session that another
   * instance fenced in the meantime is never reused.
   */
  fence?: boolean;
}

/**
 * An open transaction (backends with `supports.transactions`). Its records and the consumer
 * offsets sent with it become visible together at `commit` (to read_committed readers), or not
 * at all on `abort`. One transaction per `transactionalId` at a time.
 */
export interface LogTransaction {
  append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]>;
  /** Commits `offsets` for `groupId` as part of this transaction. */
  sendOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Optional features a backend declares (C4); conformance tests are gated on them. */
export interface LogSupports {
  compaction: boolean;
  retention: boolean;
  transactions: boolean;
  /** Several members of one group in one process share partitions. */
  groupRebalance: boolean;
}

export interface Log {
  readonly supports: LogSupports;
  open(): Promise<void>;
  close(): Promise<void>;

  /**
   * Creates topics; an existing name is an error (STREAMS_TOPIC_EXISTS) unless `ifNotExists`.
   * Resolves once every partition can be used: appended to, read, positioned and consumed.
   */
  createTopics(topics: NewTopic[], options?: { ifNotExists?: boolean }): Promise<void>;
  deleteTopics(names: string[]): Promise<void>;
  listTopics(): Promise<string[]>;
  describeTopic(name: string): Promise<TopicDescription>;

  /** Appends records; resolves once they are durable in the backend's sense, in input order. */
  append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]>;
  /** Reads records at or after `offset` (skipping offsets removed by compaction or retention). */
  read(tp: TopicPartition, offset: number, options?: ReadOptions): Promise<LogRecord[]>;
  /** The first offset still stored. */
  beginningOffset(tp: TopicPartition): Promise<number>;
  /** The offset the next appended record will get (Kafka's high watermark). */
  endOffset(tp: TopicPartition): Promise<number>;
  /** The first offset whose record has a timestamp >= `timestamp`, or the end offset if none. */
  offsetForTimestamp(tp: TopicPartition, timestamp: number): Promise<number>;

  commitOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  /** Committed offsets of a group, optionally for one topic only. */
  committedOffsets(groupId: string, topic?: string): Promise<TopicPartitionOffset[]>;
  /** Forgets a group's committed offsets (for resetting an application). */
  deleteGroup(groupId: string): Promise<void>;

  consumer(options: ConsumerOptions): LogConsumer;

  /** Begins a transaction; present only on backends with `supports.transactions`. */
  transaction?(options: TransactionOptions): Promise<LogTransaction>;
}
