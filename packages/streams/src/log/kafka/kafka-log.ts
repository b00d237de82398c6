import { StreamsError, TopicError } from '../../errors.js';
import { AbstractLog, partitionNotFound, topicNotFound } from '../abstract-log.js';
import type {
  CleanupPolicy,
  ConsumerOptions,
  LogConsumer,
  LogRecord,
  LogTransaction,
  NewTopic,
  ProducerRecord,
  RecordMetadata,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
  TransactionOptions,
} from '../types.js';
import { GroupOffsets, topicPartitionKey } from './group-offsets.js';
import { KafkaClient } from './kafka-client.js';
import { KafkaConsumer, type KafkaConsumerHost } from './kafka-consumer.js';
import { hasKafkaType, toStreamsError } from './kafka-errors.js';
import { resolveKafkaLogOptions, type KafkaLogOptions, type ResolvedKafkaLogOptions } from './kafka-log-options.js';
import { KafkaNamespace } from './kafka-namespace.js';
import { KafkaTransactions } from './kafka-transaction.js';
import { PartitionReader } from './partition-reader.js';
import { PRODUCER_LIMITS, sendRecords } from './record-sender.js';

/** kafkajs's ConfigResourceTypes.TOPIC. */
const TOPIC_RESOURCE = 2;

/**
 * The Log over Apache Kafka (brokers ≥ 2.4; tested on 3.9), through kafkajs. Appends go through
 * one idempotent producer, reads are plain Fetch requests (partition-reader.ts), consumers are
 * kafkajs consumer-group members (kafka-consumer.ts states the rebalance-callback guarantees),
 * and `transaction()` opens Kafka transactions (kafka-transaction.ts).
 *
 * With a `namespace` (kafka-namespace.ts) the hooks below translate names at this boundary:
 * everything under them (client, reader, sender, group offsets) speaks broker names, and what
 * they answer is given back in the namespace's terms.
 */
export class KafkaLog extends AbstractLog {
  readonly #options: ResolvedKafkaLogOptions;
  readonly #names: KafkaNamespace;
  #client: KafkaClient | undefined;
  #reader: PartitionReader | undefined;
  #groups: GroupOffsets | undefined;
  #transactions: KafkaTransactions | undefined;
  readonly #consumers = new Set<KafkaConsumer>();

  constructor(options: KafkaLogOptions) {
    super({ compaction: true, retention: true, transactions: true, groupRebalance: true });
    this.#options = resolveKafkaLogOptions(options);
    this.#names = new KafkaNamespace(this.#options.namespace);
  }

  /** The namespace this log's names live in (`KafkaLogOptions.namespace`); '' for none. */
  get namespace(): string {
    return this.#options.namespace;
  }

  protected async _open(): Promise<void> {
    const client = new KafkaClient(this.#options);
    await client.connect();
    this.#client = client;
    this.#reader = new PartitionReader(client);
    this.#groups = new GroupOffsets(client);
    this.#transactions = new KafkaTransactions(client, this.#names);
  }

  /**
   * Begins a Kafka transaction (see kafka-transaction.ts for the one-id-per-input-partition
   * rule that exactly-once needs with kafkajs). Consumers and `read` see its records only after
   * `commit` unless the log was opened with `isolationLevel: 'read_uncommitted'`.
   */
  async transaction(options: TransactionOptions): Promise<LogTransaction> {
    this.assertOpen();
    return this.#transactions!.begin(options);
  }

  protected async _close(): Promise<void> {
    await Promise.all([...this.#consumers].map((c) => c.stop()));
    this.#consumers.clear();
    await this.#transactions?.close();
    await this.#client?.disconnect().catch(() => undefined);
    this.#client = undefined;
  }

  protected async _createTopics(topics: Required<NewTopic>[], ifNotExists: boolean): Promise<void> {
    const wire = topics.map((t) => ({ ...t, name: this.#names.topic(t.name) }));
    return this.#local(() => this.#createTopics(wire, ifNotExists));
  }

  async #createTopics(topics: Required<NewTopic>[], ifNotExists: boolean): Promise<void> {
    const client = this.#requireClient();
    // Checked up front so that one existing name creates none of the others.
    const existing = await client.topicNames();
    const clash = topics.find((t) => existing.has(t.name));
    if (clash && !ifNotExists) throw new TopicError('STREAMS_TOPIC_EXISTS', `topic ${clash.name} already exists`, { topic: clash.name });
    const toCreate = topics.filter((t) => !existing.has(t.name));
    if (toCreate.length === 0) return;
    let created: boolean;
    try {
      created = await client.admin.createTopics({
        // Waited for below: kafkajs polls for the leaders in steps of 100 ms, most of the time
        // StreamsApp.start() spent creating its internal topics.
        waitForLeaders: false,
        topics: toCreate.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: this.#options.replicationFactor,
          configEntries: this.#configEntries(t),
        })),
      });
    } catch (err) {
      throw toStreamsError(err, toCreate.length === 1 ? { topic: toCreate[0]!.name } : {});
    }
    // false: someone else created one of them meanwhile.
    if (!created && !ifNotExists) throw new TopicError('STREAMS_TOPIC_EXISTS', `a topic of ${toCreate.map((t) => t.name).join(', ')} already exists`, { topic: toCreate[0]!.name });
    await this.#awaitLeaders(toCreate.map((t) => t.name));
  }

  /**
   * Polls until every partition of `names` has a leader that serves it, for up to
   * `requestTimeoutMs`: first after 2 ms, then in steps doubling up to 100 ms. A broker's
   * metadata cache lags the controller (KRaft) by a few milliseconds; until then it answers
   * LEADER_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created. And a
   * leader named in the metadata may still answer NOT_LEADER_FOR_PARTITION for a moment (it has
   * not become the leader yet), so the check ends with a ListOffsets of every partition: the
   * Log contract says a created topic can be read, positioned and consumed at once.
   */
  async #awaitLeaders(names: string[]): Promise<void> {
    const client = this.#requireClient();
    const deadline = Date.now() + this.#options.requestTimeoutMs;
    let last: unknown;
    for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        const broker = await client.cluster.findControllerBroker();
        const { topicMetadata } = await broker.metadata(names);
        const ready = names.every((name) => {
          const topic = topicMetadata.find((t) => t.topic === name);
          return topic !== undefined && topic.topicErrorCode === 0 && topic.partitionMetadata.length > 0 && topic.partitionMetadata.every((p) => p.leader >= 0);
        });
        if (ready) {
          await this.#awaitServed(topicMetadata.filter((t) => names.includes(t.topic)));
          return;
        }
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) {
        throw new TopicError('STREAMS_BROKER_UNAVAILABLE', `topics ${names.join(', ')} were created but their leaders are not known yet`, { topic: names[0]! }, { cause: last, retriable: true });
      }
    }
  }

  /** Throws (NOT_LEADER_FOR_PARTITION…) unless every partition's leader answers a ListOffsets for it. */
  async #awaitServed(topics: Array<{ topic: string; partitionMetadata: Array<{ partitionId: number }> }>): Promise<void> {
    const cluster = this.#requireClient().cluster;
    // Fresh metadata for these topics: fetchTopicsOffset finds the leaders in kafkajs's cache.
    await cluster.addMultipleTargetTopics(topics.map((t) => t.topic));
    await cluster.refreshMetadata();
    await cluster.fetchTopicsOffset(topics.map((t) => ({ topic: t.topic, partitions: t.partitionMetadata.map((p) => ({ partition: p.partitionId })), fromBeginning: true })) as never);
  }

  protected async _deleteTopics(topics: string[]): Promise<void> {
    const names = topics.map((t) => this.#names.topic(t));
    return this.#local(() => this.#deleteTopics(names));
  }

  async #deleteTopics(names: string[]): Promise<void> {
    const client = this.#requireClient();
    const existing = await client.topicNames();
    const missing = names.find((n) => !existing.has(n));
    if (missing !== undefined) throw topicNotFound(missing);
    try {
      await this.#deleteListed(names);
    } finally {
      client.forgetTopics(names);
    }
    await this.#awaitGone(names);
  }

  /**
   * DeleteTopics for topics the broker lists. A topic created a moment ago may be listed by the
   * broker before the controller answers for it (UNKNOWN_TOPIC_OR_PARTITION, KRaft metadata lag):
   * retried, for up to `requestTimeoutMs`, with the topics still listed.
   */
  async #deleteListed(names: string[]): Promise<void> {
    const client = this.#requireClient();
    const deadline = Date.now() + this.#options.requestTimeoutMs;
    let left = names;
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      try {
        await client.admin.deleteTopics({ topics: left });
        return;
      } catch (err) {
        if (!hasKafkaType(err, 'UNKNOWN_TOPIC_OR_PARTITION') || Date.now() > deadline) throw toStreamsError(err, left.length === 1 ? { topic: left[0]! } : {});
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      const existing = await client.topicNames();
      left = left.filter((n) => existing.has(n));
      if (left.length === 0) return;
    }
  }

  /**
   * Polls until no broker lists `names` any more, for up to `requestTimeoutMs`, in steps doubling
   * from 2 ms to 100 ms. DeleteTopics answers once the controller has committed the deletion; the
   * broker's metadata cache (KRaft) catches up a few milliseconds later, and until then
   * listTopics() still names the topic. The Log contract says a deleted topic is gone at once.
   */
  async #awaitGone(names: string[]): Promise<void> {
    const client = this.#requireClient();
    const deadline = Date.now() + this.#options.requestTimeoutMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
      const existing = await client.topicNames();
      if (names.every((n) => !existing.has(n))) return;
      if (Date.now() > deadline) {
        throw new TopicError('STREAMS_BROKER_UNAVAILABLE', `topics ${names.join(', ')} were deleted but the broker still lists them`, { topic: names[0]! }, { retriable: true });
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  protected async _listTopics(): Promise<string[]> {
    const names = await this.#requireClient().topicNames();
    const local = [...names].map((n) => this.#names.local(n)).filter((n) => n !== undefined);
    return local.filter((n) => !n.startsWith('__')).sort();
  }

  protected async _describeTopic(name: string): Promise<TopicDescription> {
    const description = await this.#local(() => this.#describeTopic(this.#names.topic(name)));
    return { ...description, name };
  }

  async #describeTopic(name: string): Promise<TopicDescription> {
    const client = this.#requireClient();
    const partitions = await client.partitions(name);
    let entries: Array<{ configName: string; configValue: string }>;
    try {
      const { resources } = await client.admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: TOPIC_RESOURCE, name, configNames: ['cleanup.policy', 'retention.ms', 'delete.retention.ms'] }],
      });
      entries = resources[0]?.configEntries ?? [];
    } catch (err) {
      throw toStreamsError(err, { topic: name });
    }
    const config = new Map(entries.map((e) => [e.configName, e.configValue]));
    // 'compact,delete' compacts and also drops old segments; the contract calls that compacted.
    const cleanupPolicy: CleanupPolicy = (config.get('cleanup.policy') ?? 'delete').split(',').includes('compact') ? 'compact' : 'delete';
    return {
      name,
      partitions: partitions.length,
      config: {
        cleanupPolicy,
        retentionMs: Number(config.get('retention.ms') ?? -1),
        deleteRetentionMs: Number(config.get('delete.retention.ms') ?? 86_400_000),
      },
    };
  }

  protected async _append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]> {
    const client = this.#requireClient();
    const wire = this.#names.topic(topic);
    return this.#names.localize(await this.#local(() => sendRecords(client, client.producer, wire, records, PRODUCER_LIMITS)));
  }

  protected async _read(tp: TopicPartition, offset: number, maxRecords: number): Promise<LogRecord[]> {
    const wire = this.#names.tp(tp);
    return this.#names.localize(await this.#local(() => this.#reader!.read(wire, offset, maxRecords)));
  }

  protected async _beginningOffset(tp: TopicPartition): Promise<number> {
    const wire = this.#names.tp(tp);
    return this.#local(() => this.#listOffset(wire, { fromBeginning: true }));
  }

  protected async _endOffset(tp: TopicPartition): Promise<number> {
    const wire = this.#names.tp(tp);
    return this.#local(() => this.#listOffset(wire, { fromBeginning: false }));
  }

  protected async _offsetForTimestamp(tp: TopicPartition, timestamp: number): Promise<number> {
    const wire = this.#names.tp(tp);
    // ListOffsets reads -1 and -2 as "latest" and "earliest"; no record is older than 0 anyway.
    const offset = await this.#local(() => this.#listOffset(wire, { fromTimestamp: Math.max(0, Math.ceil(timestamp)) }));
    return offset < 0 ? this._endOffset(tp) : offset;
  }

  protected async _commitOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    // Kafka refuses commits from outside a group with active members: use our member if we have one.
    const member = [...this.#consumers].find((c) => c.groupId === groupId && c.isMember());
    if (member) return member.commit(offsets);
    return this.#commitOutsideGroup(groupId, offsets);
  }

  protected async _committedOffsets(groupId: string, topic?: string): Promise<TopicPartitionOffset[]> {
    const names = this.#names;
    const wireTopic = topic === undefined ? undefined : names.topic(topic);
    const offsets = await this.#local(() => this.#groups!.committed(names.group(groupId), wireTopic, (t) => names.local(t) !== undefined));
    return names.localize(offsets);
  }

  protected async _deleteGroup(groupId: string): Promise<void> {
    return this.#groups!.delete(this.#names.group(groupId));
  }

  protected _consumer(options: ConsumerOptions & { maxBatchRecords: number }): LogConsumer {
    const consumer = new KafkaConsumer(this.#consumerHost(), options);
    this.#consumers.add(consumer);
    return consumer;
  }

  #consumerHost(): KafkaConsumerHost {
    return {
      options: this.#options,
      names: this.#names,
      startOffsets: (groupId, tps, reset) => this.#local(() => this.#startOffsets(groupId, tps, reset)),
      commitOutsideGroup: (groupId, offsets) => this.#commitOutsideGroup(groupId, offsets),
      closed: (consumer) => this.#consumers.delete(consumer),
    };
  }

  async #commitOutsideGroup(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    const wire = offsets.map((o) => this.#names.tp(o));
    return this.#local(() => this.#groups!.commit(this.#names.group(groupId), wire));
  }

  /** Start offsets of `tps` (namespace names), keyed by `topicPartitionKey` of those names. */
  async #startOffsets(groupId: string, tps: TopicPartition[], reset: 'earliest' | 'latest'): Promise<Map<string, number>> {
    const wire = tps.map((tp) => this.#names.tp(tp));
    const committed = await this.#groups!.fetch(this.#names.group(groupId), wire);
    const starts = new Map<string, number>();
    await Promise.all(
      tps.map(async (tp, i) => {
        const at = committed.get(topicPartitionKey(wire[i]!)) ?? (await this.#listOffset(wire[i]!, { fromBeginning: reset === 'earliest' }));
        starts.set(topicPartitionKey(tp), at);
      }),
    );
    return starts;
  }

  /** Runs `call` (which speaks broker names), reporting a failure in the namespace's terms. */
  async #local<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw this.#names.localError(err);
    }
  }

  async #listOffset(tp: TopicPartition, at: { fromBeginning: boolean } | { fromTimestamp: number }): Promise<number> {
    const client = this.#requireClient();
    await client.partition(tp);
    try {
      const [result] = await client.cluster.fetchTopicsOffset([{ topic: tp.topic, partitions: [{ partition: tp.partition }], ...at } as never]);
      const found = result?.partitions.find((p) => p.partition === tp.partition);
      if (!found) throw partitionNotFound(tp);
      return Number(found.offset);
    } catch (err) {
      throw toStreamsError(err, tp);
    }
  }

  #configEntries(topic: Required<NewTopic>): Array<{ name: string; value: string }> {
    const { cleanupPolicy, retentionMs, deleteRetentionMs } = topic.config as Required<NewTopic['config'] & object>;
    const entries: Record<string, string> = {
      'cleanup.policy': cleanupPolicy,
      'retention.ms': String(retentionMs),
      'delete.retention.ms': String(deleteRetentionMs),
      ...this.#options.topicConfigs,
    };
    return Object.entries(entries).map(([name, value]) => ({ name, value }));
  }

  #requireClient(): KafkaClient {
    if (!this.#client) throw new StreamsError('STREAMS_LOG_NOT_OPEN', 'the log is not open');
    return this.#client;
  }
}
