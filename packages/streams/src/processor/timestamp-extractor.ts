import { StreamsError } from '../errors.js';
import type { RecordHeaders } from '../log/types.js';

/** An input record as the timestamp extractor sees it: metadata plus deserialized key and value. */
export interface ConsumedRecord<TKey = unknown, TValue = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: TKey;
  readonly value: TValue;
  /** The timestamp stored with the record in the log, in ms. */
  readonly timestamp: number;
  readonly headers: RecordHeaders;
}

/**
 * Gives each input record its event time in ms. `partitionTimeMs` is the highest timestamp seen
 * so far on the record's partition (-1 before the first). A negative result makes the task drop
 * the record (Kafka's behaviour); throw to stop processing instead.
 */
export type TimestampExtractor = (record: ConsumedRecord, partitionTimeMs: number) => number;

/**
 * The default: the timestamp stored in the log. A negative timestamp throws
 * STREAMS_INVALID_TIMESTAMP (Kafka's `FailOnInvalidTimestamp`).
 */
export const failOnInvalidTimestamp: TimestampExtractor = (record) => {
  if (record.timestamp < 0 || !Number.isFinite(record.timestamp)) {
    throw new StreamsError(
      'STREAMS_INVALID_TIMESTAMP',
      `record ${record.topic}-${record.partition}@${record.offset} has invalid timestamp ${record.timestamp}`,
    );
  }
  return record.timestamp;
};

/** The stored timestamp; records with a negative one are skipped (Kafka's `LogAndSkipOnInvalidTimestamp`). */
export const skipOnInvalidTimestamp: TimestampExtractor = (record) => record.timestamp;

/** The stored timestamp, or the partition time when it is negative (`UsePartitionTimeOnInvalidTimestamp`). */
export const usePartitionTimeOnInvalidTimestamp: TimestampExtractor = (record, partitionTimeMs) => {
  if (record.timestamp >= 0) return record.timestamp;
  if (partitionTimeMs < 0) {
    throw new StreamsError(
      'STREAMS_INVALID_TIMESTAMP',
      `record ${record.topic}-${record.partition}@${record.offset} has an invalid timestamp and no partition time is known yet`,
    );
  }
  return partitionTimeMs;
};
