import type { StreamRecord } from './record.js';

/** Picks the output topic per record (Kafka's `TopicNameExtractor`). The name is used as-is. */
export type TopicNameExtractor<TKey, TValue> = (record: StreamRecord<TKey, TValue>) => string;

/**
 * Picks the output partition per record (Kafka's `StreamPartitioner`). Return undefined to fall
 * back to the default: murmur2 over the serialized key.
 */
export type StreamPartitioner<TKey, TValue> = (
  record: StreamRecord<TKey, TValue>,
  topic: string,
  numPartitions: number,
) => number | undefined;
