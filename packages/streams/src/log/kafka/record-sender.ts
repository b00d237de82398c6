import type { Message, PartitionMetadata, Producer } from 'kafkajs';
import { TopicError } from '../../errors.js';
import { partitionNotFound } from '../abstract-log.js';
import type { ProducerRecord, RecordMetadata } from '../types.js';
import type { KafkaClient } from './kafka-client.js';
import { hasKafkaType, toStreamsError } from './kafka-errors.js';
import { toKafkaMessage } from './kafka-record.js';

/**
 * What sendRecords sends through: KafkaLog's idempotent producer (idempotent-producer.ts), or an
 * open kafkajs transaction (`kafkajsSink`). Appends each partition's records in order and answers
 * the offset of each partition's first record.
 */
export interface PartitionedSink {
  send(topic: string, batches: ReadonlyMap<number, readonly ProducerRecord[]>): Promise<Map<number, number>>;
}

/** Bounds of one produce request. */
export interface SendLimits {
  maxRecords: number;
  maxBytes: number;
}

/**
 * Kafka refuses a record batch over `max.message.bytes` (1 MiB by default): a request carries at
 * most 512 KiB of records, counted with an upper bound of their encoded size.
 */
const MAX_BYTES_PER_SEND = 512 * 1024;
/** KafkaLog's own producer encodes in linear time: only the byte bound applies. */
export const PRODUCER_LIMITS: SendLimits = { maxRecords: Infinity, maxBytes: MAX_BYTES_PER_SEND };
/**
 * kafkajs groups a send's messages by partition in time quadratic in their number (measured:
 * 5000-record sends produced at half the rate of 1000-record sends).
 */
export const KAFKAJS_LIMITS: SendLimits = { maxRecords: 1000, maxBytes: MAX_BYTES_PER_SEND };

/** An open kafkajs transaction (or producer) as a PartitionedSink. */
export function kafkajsSink(sink: Pick<Producer, 'send'>): PartitionedSink {
  return {
    async send(topic, batches) {
      const messages: Message[] = [];
      for (const [partition, records] of batches) for (const record of records) messages.push(toKafkaMessage(record, partition));
      const responses = await sink.send({ topic, messages, acks: -1 });
      return new Map(responses.map((r) => [r.partition, Number(r.baseOffset ?? r.offset)]));
    },
  };
}

function partitionFor(client: KafkaClient, topic: string, partitions: PartitionMetadata[], record: ProducerRecord): number {
  if (record.partition === undefined) return client.choosePartition(topic, partitions, record.key);
  if (!partitions.some((p) => p.partitionId === record.partition)) throw partitionNotFound({ topic, partition: record.partition });
  return record.partition;
}

/** An upper bound of a record's bytes in a record batch (its varints take at most 40 bytes in all). */
function encodedSizeBound(record: ProducerRecord): number {
  let size = (record.key?.length ?? 0) + (record.value?.length ?? 0) + 40;
  if (record.headers !== undefined) for (const name in record.headers) size += 3 * name.length + record.headers[name]!.length + 10;
  return size;
}

/**
 * Sends `records` to `topic` through `sink`, in produce requests of bounded size sent one after
 * the other (so each partition keeps input order), and returns each record's offset: Kafka
 * answers one base offset per partition, and the records of a partition are stored in input
 * order from it. Partitions are chosen here, with Kafka's default partitioner, so we know which
 * answer belongs to which record.
 */
export async function sendRecords(client: KafkaClient, sink: PartitionedSink, topic: string, records: ProducerRecord[], limits: SendLimits): Promise<RecordMetadata[]> {
  let partitions = await client.partitions(topic);
  if (records.some((r) => r.partition !== undefined && !partitions.some((p) => p.partitionId === r.partition))) {
    await client.refresh(); // partitions may have been added since the metadata was cached
    partitions = await client.partitions(topic);
  }
  const chosen = records.map((record) => partitionFor(client, topic, partitions, record));
  const result: RecordMetadata[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i <= records.length; i++) {
    const size = i < records.length ? encodedSizeBound(records[i]!) : 0;
    const full = i - start >= limits.maxRecords || bytes + size > limits.maxBytes;
    if (i > start && (i === records.length || full)) {
      await sendChunk(client, sink, topic, records.slice(start, i), chosen.slice(start, i), result);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  return result;
}

async function sendChunk(client: KafkaClient, sink: PartitionedSink, topic: string, records: ProducerRecord[], chosen: number[], out: RecordMetadata[]): Promise<void> {
  const batches = new Map<number, ProducerRecord[]>();
  for (let i = 0; i < records.length; i++) {
    const partition = chosen[i]!;
    let batch = batches.get(partition);
    if (batch === undefined) batches.set(partition, (batch = []));
    batch.push(records[i]!);
  }
  let next: Map<number, number>;
  try {
    next = await sink.send(topic, batches);
  } catch (err) {
    if (hasKafkaType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) await client.forgetDeletedTopics().catch(() => undefined);
    throw toStreamsError(err, { topic });
  }
  for (const partition of chosen) {
    const offset = next.get(partition);
    if (offset === undefined) throw new TopicError('STREAMS_KAFKA_ERROR', `no produce answer for ${topic}/${partition}`, { topic, partition });
    next.set(partition, offset + 1);
    out.push({ topic, partition, offset });
  }
}
