import kafkajs, { type PartitionMetadata } from 'kafkajs';

const { Partitioners } = kafkajs;

/** Picks a partition for a record without an explicit one. */
export type PartitionChooser = (topic: string, partitions: PartitionMetadata[], key: Buffer | null) => number;

/**
 * kafkajs's Java-compatible partitioner (murmur2 of the key, round-robin over partitions with a
 * leader for null keys). KafkaLog computes the partition itself with it, before sending, so it
 * knows which partition (and so which produce response) each record went to. The tests check
 * it agrees with `partitionForKey`, the partitioner of every other backend.
 */
export function createPartitionChooser(): PartitionChooser {
  const partitioner = Partitioners.JavaCompatiblePartitioner();
  return (topic, partitionMetadata, key) => partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

/** The partition kafkajs's Java-compatible partitioner picks for `key` among `numPartitions` healthy partitions. */
export function kafkaPartitionForKey(key: Buffer, numPartitions: number): number {
  const partitions = Array.from({ length: numPartitions }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));
  return createPartitionChooser()('t', partitions, key);
}
