import type { PartitionMetadata } from 'kafkajs';
import { partitionForKey } from '../partitioner.js';

/** Picks a partition for a record without an explicit one. */
export type PartitionChooser = (topic: string, partitions: PartitionMetadata[], key: Buffer | null) => number;

/**
 * Kafka's default partitioning as kafkajs's Java-compatible partitioner does it: murmur2 of the
 * key (`partitionForKey`, the partitioner of every other backend), and round-robin over the
 * partitions that have a leader for null keys, from a random start per topic. KafkaLog computes
 * the partition itself, before sending, so it knows which partition (and so which produce
 * answer) each record went to. Our own murmur2 runs on 32-bit integers; kafkajs's emulates 64-bit
 * longs and cost 6% of a stateless Kafka workload's CPU. The tests check both agree.
 */
export function createPartitionChooser(): PartitionChooser {
  const counters = new Map<string, number>();
  return (topic, partitions, key) => {
    if (key !== null) return partitions.length === 1 ? 0 : partitionForKey(key, partitions.length);
    const counter = ((counters.get(topic) ?? Math.floor(Math.random() * 0x100000000)) + 1) | 0;
    counters.set(topic, counter);
    const available = partitions.filter((p) => p.leader >= 0);
    if (available.length > 0) return available[(counter & 0x7fffffff) % available.length]!.partitionId;
    return (counter & 0x7fffffff) % partitions.length;
  };
}

/** The partition KafkaLog picks for `key` among `numPartitions` healthy partitions. */
export function kafkaPartitionForKey(key: Buffer, numPartitions: number): number {
  return createPartitionChooser()('t', healthyPartitions(numPartitions), key);
}

/** Metadata of `count` partitions, all led by broker 1 (for tests and the chooser's helpers). */
export function healthyPartitions(count: number): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1] }));
}
