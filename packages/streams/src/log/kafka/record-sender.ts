import type { Message, PartitionMetadata, Producer } from 'kafkajs';
import { TopicError } from '../../errors.js';
import { partitionNotFound } from '../abstract-log.js';
import type { ProducerRecord, RecordMetadata } from '../types.js';
import type { KafkaClient } from './kafka-client.js';
import { hasKafkaType, toStreamsError } from './kafka-errors.js';
import { toKafkaMessage } from './kafka-record.js';

/** What can send records: the log's idempotent producer or an open transaction. */
export type RecordSink = Pick<Producer, 'send'>;

function partitionFor(client: KafkaClient, topic: string, partitions: PartitionMetadata[], record: ProducerRecord): number {
  if (record.partition === undefined) return client.choosePartition(topic, partitions, record.key);
  if (!partitions.some((p) => p.partitionId === record.partition)) throw partitionNotFound({ topic, partition: record.partition });
  return record.partition;
}

/** Messages and payload bytes per produce request. Kafka refuses a request over `max.message.bytes`
 * (1 MiB by default), and kafkajs groups a send's messages by partition in time quadratic in their
 * number (measured: 5000-record sends produced at half the rate of 1000-record sends). */
const MAX_MESSAGES_PER_SEND = 1000;
const MAX_BYTES_PER_SEND = 512 * 1024;

/**
 * Sends `records` to `topic` through `sink`, in produce requests of bounded size sent one after
 * the other (so each partition keeps input order), and returns each record's offset: Kafka
 * answers one base offset per partition, and the records of a partition are stored in input
 * order from it. Partitions are chosen here, with kafkajs's Java-compatible partitioner, so we
 * know which answer belongs to which record.
 */
export async function sendRecords(client: KafkaClient, sink: RecordSink, topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]> {
  let partitions = await client.partitions(topic);
  if (records.some((r) => r.partition !== undefined && !partitions.some((p) => p.partitionId === r.partition))) {
    await client.refresh(); // partitions may have been added since the metadata was cached
    partitions = await client.partitions(topic);
  }
  const messages: Message[] = records.map((record) => toKafkaMessage(record, partitionFor(client, topic, partitions, record)));
  const result: RecordMetadata[] = [];
  for (const chunk of chunks(messages, records)) result.push(...(await sendChunk(client, sink, topic, chunk)));
  return result;
}

function* chunks(messages: Message[], records: ProducerRecord[]): Generator<Message[]> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const size = (records[i]!.key?.length ?? 0) + (records[i]!.value?.length ?? 0) + 64;
    if (i > start && (i - start >= MAX_MESSAGES_PER_SEND || bytes + size > MAX_BYTES_PER_SEND)) {
      yield messages.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < messages.length) yield messages.slice(start);
}

async function sendChunk(client: KafkaClient, sink: RecordSink, topic: string, messages: Message[]): Promise<RecordMetadata[]> {
  let responses;
  try {
    responses = await sink.send({ topic, messages, acks: -1 });
  } catch (err) {
    if (hasKafkaType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) await client.forgetDeletedTopics().catch(() => undefined);
    throw toStreamsError(err, { topic });
  }
  const next = new Map<number, number>();
  for (const r of responses) next.set(r.partition, Number(r.baseOffset ?? r.offset));
  return messages.map((m) => {
    const partition = m.partition!;
    const offset = next.get(partition);
    if (offset === undefined) throw new TopicError('STREAMS_KAFKA_ERROR', `no produce answer for ${topic}/${partition}`, { topic, partition });
    next.set(partition, offset + 1);
    return { topic, partition, offset };
  });
}
