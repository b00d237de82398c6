import { TopicError } from '../../errors.js';
import type { LogRecord, TopicPartition } from '../types.js';
import type { KafkaClient } from './kafka-client.js';
import { hasKafkaType, toStreamsError } from './kafka-errors.js';
import { batchEndOffset, toLogRecord } from './kafka-record.js';
import { InternalBatch, type FetchedPartition } from './kafkajs-internals.js';

/** Fetch v4+ isolation levels. */
const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;

/** Bound on round trips for one read (each one advances past at least one record batch). */
const MAX_ROUND_TRIPS = 100;

/**
 * `Log.read` over Kafka: plain Fetch requests to the partition leader, with no consumer group.
 *
 * Why not a consumer: kafkajs has no `assign()`; a consumer would need a throw-away group, a
 * join (hundreds of ms to seconds) and a seek per read. A Fetch with `maxWaitTime: 0` is one
 * round trip and answers at once, empty at the end of the partition. Control records and
 * aborted transactional records are dropped as a read_committed consumer would.
 */
export class PartitionReader {
  readonly #client: KafkaClient;
  readonly #isolationLevel: number;

  constructor(client: KafkaClient) {
    this.#client = client;
    this.#isolationLevel = client.options.isolationLevel === 'read_committed' ? READ_COMMITTED : READ_UNCOMMITTED;
  }

  async read(tp: TopicPartition, offset: number, maxRecords: number): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    let position = offset;
    for (let trip = 0; trip < MAX_ROUND_TRIPS && records.length < maxRecords; trip++) {
      const fetched = await this.#fetch(tp, position);
      if (fetched === 'before-start') {
        // Retention or deleteRecords removed `position`: the contract skips to what is left.
        position = await this.#beginning(tp);
        continue;
      }
      const batch = new InternalBatch(tp.topic, String(position), fetched);
      for (const message of batch.messages) {
        if (records.length === maxRecords) break;
        records.push(toLogRecord(tp.topic, tp.partition, message));
      }
      const last = batch.rawMessages[batch.rawMessages.length - 1];
      const limit = Number(this.#isolationLevel === READ_COMMITTED ? fetched.lastStableOffset : fetched.highWatermark);
      if (!last) break;
      // Continue past whatever this response held, even when compaction, control records or
      // aborted transactions left nothing to return from it.
      position = Math.max(position, batchEndOffset(last));
      if (position >= limit) break;
    }
    return records;
  }

  async #fetch(tp: TopicPartition, position: number): Promise<FetchedPartition | 'before-start'> {
    const broker = await this.#client.leader(tp);
    const maxBytes = this.#client.options.fetchMaxBytesPerPartition;
    try {
      const { responses } = (await broker.fetch({
        replicaId: -1,
        isolationLevel: this.#isolationLevel,
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes,
        topics: [{ topic: tp.topic, partitions: [{ partition: tp.partition, fetchOffset: String(position), maxBytes }] }],
      })) as { responses: Array<{ topicName: string; partitions: FetchedPartition[] }> };
      const partition = responses.find((r) => r.topicName === tp.topic)?.partitions.find((p) => p.partition === tp.partition);
      if (!partition) throw new TopicError('STREAMS_KAFKA_ERROR', `the broker answered a fetch of ${tp.topic}/${tp.partition} without it`, tp);
      return partition;
    } catch (err) {
      if (!hasKafkaType(err, 'OFFSET_OUT_OF_RANGE')) throw toStreamsError(err, tp);
      if (position < (await this.#beginning(tp))) return 'before-start';
      throw new TopicError('STREAMS_OFFSET_OUT_OF_RANGE', `offset ${position} is past the end of ${tp.topic}/${tp.partition}`, tp, { cause: err });
    }
  }

  async #beginning(tp: TopicPartition): Promise<number> {
    try {
      const [result] = await this.#client.cluster.fetchTopicsOffset([{ topic: tp.topic, partitions: [{ partition: tp.partition }], fromBeginning: true }]);
      return Number(result?.partitions.find((p) => p.partition === tp.partition)?.offset ?? 0);
    } catch (err) {
      throw toStreamsError(err, tp);
    }
  }
}
