import kafkajs, { type Admin, type Kafka, type PartitionMetadata } from 'kafkajs';
import { StreamsError } from '../../errors.js';
import { partitionNotFound, topicNotFound } from '../abstract-log.js';
import type { TopicPartition } from '../types.js';
import { hasKafkaType, toStreamsError } from './kafka-errors.js';
import { kafkaConfig, type ResolvedKafkaLogOptions } from './kafka-log-options.js';
import { createPartitionChooser, type PartitionChooser } from './kafka-partitioner.js';
import { IdempotentProducer } from './idempotent-producer.js';
import { createAdmin, defaultSocketFactory, InternalCluster, type Broker } from './kafkajs-internals.js';

const { Kafka: KafkaClass } = kafkajs;

/** kafkajs's default metadata max age: partition counts refresh at least this often, in ms. */
const METADATA_MAX_AGE_MS = 300_000;

/**
 * The connections one KafkaLog shares between its admin client, its idempotent producer and
 * its partition reads: one kafkajs `Cluster` whose topic metadata we keep in step with topic
 * deletions (see kafkajs-internals.ts for why). Consumers get their own kafkajs client.
 */
export class KafkaClient {
  readonly options: ResolvedKafkaLogOptions;
  readonly kafka: Kafka;
  readonly cluster: InternalCluster;
  readonly admin: Admin;
  readonly producer: IdempotentProducer;
  readonly choosePartition: PartitionChooser = createPartitionChooser();

  constructor(options: ResolvedKafkaLogOptions) {
    this.options = options;
    this.kafka = new KafkaClass(kafkaConfig(options));
    const logger = this.kafka.logger();
    this.cluster = new InternalCluster({
      logger,
      brokers: options.brokers,
      clientId: options.clientId,
      connectionTimeout: options.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      enforceRequestTimeout: true,
      retry: options.retry,
      socketFactory: defaultSocketFactory(),
      metadataMaxAge: METADATA_MAX_AGE_MS,
      allowAutoTopicCreation: false,
      // ListOffsets answers the high watermark, not the last stable offset (endOffset's contract).
      isolationLevel: 0,
    });
    this.admin = createAdmin({ logger, retry: options.retry, cluster: this.cluster });
    // Bounded by options.retry, unlike kafkajs's idempotent default (retry forever): an append to
    // a dead broker must fail with STREAMS_BROKER_UNAVAILABLE. Retries within the bound stay
    // deduplicated.
    this.producer = new IdempotentProducer(this);
  }

  /** Connects and registers the idempotent producer; bounded by `options.retry`. */
  async connect(): Promise<void> {
    try {
      await this.cluster.connect();
      await this.producer.connect();
    } catch (err) {
      await this.disconnect().catch(() => undefined);
      const wrapped = toStreamsError(err);
      if (wrapped instanceof StreamsError && wrapped.code === 'STREAMS_BROKER_UNAVAILABLE') {
        const retries = this.options.retry.retries ?? 5;
        throw new StreamsError(
          'STREAMS_BROKER_UNAVAILABLE',
          `cannot reach the Kafka brokers ${this.options.brokers.join(', ')} (gave up after ${retries} retries): ${wrapped.message}`,
          { cause: err, retriable: true },
        );
      }
      throw wrapped;
    }
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect();
  }

  /** Every topic's name (internal topics included) from fresh metadata. */
  async topicNames(): Promise<Set<string>> {
    try {
      return new Set(await this.admin.listTopics());
    } catch (err) {
      throw toStreamsError(err);
    }
  }

  /** The partitions of `topic` from cached metadata; STREAMS_TOPIC_NOT_FOUND when it does not exist. */
  async partitions(topic: string): Promise<PartitionMetadata[]> {
    try {
      return await this.#partitions(topic);
    } catch (err) {
      if (!hasKafkaType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw toStreamsError(err, { topic });
    }
    // Either `topic` is missing, or a topic we used before was deleted behind our back and
    // kafkajs now fails every metadata refresh: forget the deleted ones and look again.
    await this.forgetDeletedTopics();
    if (!(await this.topicNames()).has(topic)) throw topicNotFound(topic);
    try {
      return await this.#partitions(topic);
    } catch (err) {
      throw toStreamsError(err, { topic });
    }
  }

  /** The metadata of one partition; refreshes once before reporting STREAMS_PARTITION_NOT_FOUND (partitions may have been added). */
  async partition(tp: TopicPartition): Promise<PartitionMetadata> {
    const found = (await this.partitions(tp.topic)).find((p) => p.partitionId === tp.partition);
    if (found) return found;
    await this.refresh();
    const again = (await this.partitions(tp.topic)).find((p) => p.partitionId === tp.partition);
    if (!again) throw partitionNotFound(tp);
    return again;
  }

  /** The broker leading `tp`. */
  async leader(tp: TopicPartition): Promise<Broker> {
    const metadata = await this.partition(tp);
    try {
      return await this.cluster.findBroker({ nodeId: String(metadata.leader) });
    } catch (err) {
      throw toStreamsError(err, tp);
    }
  }

  async refresh(): Promise<void> {
    try {
      await this.cluster.refreshMetadata();
    } catch (err) {
      if (!hasKafkaType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw toStreamsError(err);
      await this.forgetDeletedTopics();
    }
  }

  /** Drops topics from the metadata kafkajs refreshes; call after deleting them. */
  forgetTopics(names: Iterable<string>): void {
    for (const name of names) this.cluster.targetTopics.delete(name);
  }

  async forgetDeletedTopics(): Promise<void> {
    const existing = await this.topicNames();
    this.forgetTopics([...this.cluster.targetTopics].filter((t) => !existing.has(t)));
    try {
      await this.cluster.refreshMetadata();
    } catch (err) {
      throw toStreamsError(err);
    }
  }

  async #partitions(topic: string): Promise<PartitionMetadata[]> {
    await this.cluster.addTargetTopic(topic);
    await this.cluster.refreshMetadataIfNecessary();
    const partitions = this.cluster.findTopicPartitionMetadata(topic);
    if (partitions.length === 0) throw topicNotFound(topic);
    return partitions;
  }
}
