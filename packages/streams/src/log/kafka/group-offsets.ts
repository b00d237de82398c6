import { StreamsError } from '../../errors.js';
import type { TopicPartition, TopicPartitionOffset } from '../types.js';
import type { KafkaClient } from './kafka-client.js';
import { hasKafkaType, toStreamsError } from './kafka-errors.js';

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/** Groups offsets by topic in the shape of kafkajs requests. */
function byTopic<T extends TopicPartition>(items: T[], map: (item: T) => { partition: number; offset?: string }) {
  const topics = new Map<string, Array<{ partition: number; offset?: string }>>();
  for (const item of items) topics.set(item.topic, [...(topics.get(item.topic) ?? []), map(item)]);
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}

/**
 * Committed offsets of consumer groups, read and written with the group coordinator's
 * OffsetFetch / OffsetCommit requests on the log's shared connections.
 *
 * Commits here are "simple consumer" commits (generation -1, no member id), which Kafka accepts
 * only while the group has no active member. KafkaLog routes commits for a group with a member
 * in this process through that member instead; a group active in another process answers
 * STREAMS_KAFKA_ERROR (Kafka's UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION), as in Kafka.
 */
export class GroupOffsets {
  readonly #client: KafkaClient;

  constructor(client: KafkaClient) {
    this.#client = client;
  }

  /** Committed offsets of `tps` (only those that have one). */
  async fetch(groupId: string, tps: TopicPartition[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (tps.length === 0) return out;
    try {
      const coordinator = await this.#client.cluster.findGroupCoordinator({ groupId });
      const { responses } = await coordinator.offsetFetch({ groupId, topics: byTopic(tps, (tp) => ({ partition: tp.partition, offset: '' })) as never });
      for (const { topic, partitions } of responses) {
        for (const { partition, offset } of partitions) {
          if (Number(offset) >= 0) out.set(key({ topic, partition }), Number(offset));
        }
      }
      return out;
    } catch (err) {
      throw toStreamsError(err);
    }
  }

  /**
   * Committed offsets of a group, sorted by topic and partition. Without `topic`, over every
   * topic of the cluster that `include` accepts (default all).
   */
  async committed(groupId: string, topic?: string, include: (topic: string) => boolean = () => true): Promise<TopicPartitionOffset[]> {
    const tps: TopicPartition[] = [];
    if (topic !== undefined) {
      for (const p of await this.#client.partitions(topic)) tps.push({ topic, partition: p.partitionId });
    } else {
      const metadata = (await this.#allMetadata()).filter((t) => include(t.topic));
      for (const t of metadata) for (const p of t.partitionMetadata) tps.push({ topic: t.topic, partition: p.partitionId });
    }
    const offsets = await this.fetch(groupId, tps);
    return tps
      .filter((tp) => offsets.has(key(tp)))
      .map((tp) => ({ topic: tp.topic, partition: tp.partition, offset: offsets.get(key(tp))! }))
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  /** A commit outside any generation; see the class comment. */
  async commit(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    for (const o of offsets) await this.#client.partition(o);
    try {
      const coordinator = await this.#client.cluster.findGroupCoordinator({ groupId });
      await coordinator.offsetCommit({
        groupId,
        groupGenerationId: -1,
        memberId: '',
        topics: byTopic(offsets, (o) => ({ partition: o.partition, offset: String(o.offset) })) as never,
      });
    } catch (err) {
      throw toStreamsError(err);
    }
  }

  /** Deletes a group and its offsets; a group that does not exist is already deleted. */
  async delete(groupId: string): Promise<void> {
    try {
      await this.#client.admin.deleteGroups([groupId]);
    } catch (err) {
      const groups = (err as { groups?: Array<{ error?: { type?: string } }> }).groups ?? [];
      if (groups.length > 0 && groups.every((g) => g.error?.type === 'GROUP_ID_NOT_FOUND')) return;
      if (hasKafkaType(err, 'NON_EMPTY_GROUP') || groups.some((g) => g.error?.type === 'NON_EMPTY_GROUP')) {
        throw new StreamsError('STREAMS_KAFKA_ERROR', `group ${groupId} still has active members`, { cause: err });
      }
      throw toStreamsError(err);
    }
  }

  async #allMetadata(): Promise<Array<{ topic: string; partitionMetadata: Array<{ partitionId: number }> }>> {
    try {
      const { topicMetadata } = await this.#client.cluster.metadata();
      return topicMetadata.filter((t) => !(t as { isInternal?: boolean }).isInternal);
    } catch (err) {
      throw toStreamsError(err);
    }
  }
}

export { key as topicPartitionKey };
