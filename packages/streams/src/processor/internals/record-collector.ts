import type { RecordHeaders } from '../../log/types.js';

/** A serialized record a task sends to a topic (an output, a repartition or a changelog topic). */
export interface OutgoingRecord {
  /** The run-time topic name. */
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** Omitted: the collector picks the partition by key (murmur2 over the topic's partition count). */
  readonly partition?: number;
}

/**
 * Where a task's sinks and change-logging stores send records. The engine's implementation
 * buffers them for its producer and flushes on commit; the TopologyTestDriver appends them to
 * its in-memory topics at once. `send` never blocks the hot path.
 */
export interface RecordCollector {
  send(record: OutgoingRecord): void;
  /** The partition count of a topic; asked only for sinks with a custom partitioner. */
  partitionsFor(topic: string): number;
}
