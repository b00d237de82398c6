import type {
  BatchHandler,
  ConsumerOptions,
  Log,
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
} from '../../../src/log/types.js';

/**
 * A view of a log in which every topic `t` is really `<namespace>.t`: a topology with fixed topic
 * names (an example's `orders`, a golden table's `left`) runs on a shared Kafka broker without
 * meeting the topics of another test or an earlier run. Records, offsets and callbacks come back
 * with the names the topology knows.
 */
export class NamespacedLog implements Log {
  readonly #inner: Log;
  readonly #prefix: string;
  readonly transaction?: (options: TransactionOptions) => Promise<LogTransaction>;

  constructor(inner: Log, namespace: string) {
    this.#inner = inner;
    this.#prefix = `${namespace}.`;
    if (inner.transaction !== undefined) this.transaction = (options) => this.#transaction(options);
  }

  get supports(): Log['supports'] {
    return this.#inner.supports;
  }

  /** The real name of a topic. */
  to = (topic: string): string => this.#prefix + topic;
  from = (topic: string): string => (topic.startsWith(this.#prefix) ? topic.slice(this.#prefix.length) : topic);
  #tp = <T extends TopicPartition>(tp: T): T => ({ ...tp, topic: this.to(tp.topic) });
  #back = <T extends TopicPartition>(tp: T): T => ({ ...tp, topic: this.from(tp.topic) });

  open(): Promise<void> {
    return this.#inner.open();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  createTopics(topics: NewTopic[], options?: { ifNotExists?: boolean }): Promise<void> {
    return this.#inner.createTopics(topics.map((t) => ({ ...t, name: this.to(t.name) })), options);
  }

  deleteTopics(names: string[]): Promise<void> {
    return this.#inner.deleteTopics(names.map(this.to));
  }

  async listTopics(): Promise<string[]> {
    return (await this.#inner.listTopics()).filter((t) => t.startsWith(this.#prefix)).map(this.from);
  }

  async describeTopic(name: string): Promise<TopicDescription> {
    return { ...(await this.#inner.describeTopic(this.to(name))), name };
  }

  async append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]> {
    return (await this.#inner.append(this.to(topic), records)).map(this.#back);
  }

  async read(tp: TopicPartition, offset: number, options?: { maxRecords?: number }): Promise<LogRecord[]> {
    return (await this.#inner.read(this.#tp(tp), offset, options)).map(this.#back);
  }

  beginningOffset(tp: TopicPartition): Promise<number> {
    return this.#inner.beginningOffset(this.#tp(tp));
  }

  endOffset(tp: TopicPartition): Promise<number> {
    return this.#inner.endOffset(this.#tp(tp));
  }

  offsetForTimestamp(tp: TopicPartition, timestamp: number): Promise<number> {
    return this.#inner.offsetForTimestamp(this.#tp(tp), timestamp);
  }

  commitOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    return this.#inner.commitOffsets(groupId, offsets.map(this.#tp));
  }

  async committedOffsets(groupId: string, topic?: string): Promise<TopicPartitionOffset[]> {
    const offsets = await this.#inner.committedOffsets(groupId, topic === undefined ? undefined : this.to(topic));
    return offsets.filter((o) => o.topic.startsWith(this.#prefix)).map(this.#back);
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.#inner.deleteGroup(groupId);
  }

  consumer(options: ConsumerOptions): LogConsumer {
    const { onAssigned, onRevoked } = options;
    const inner = this.#inner.consumer({
      ...options,
      topics: options.topics.map(this.to),
      ...(onAssigned ? { onAssigned: (tps: TopicPartition[]) => onAssigned(tps.map(this.#back)) } : {}),
      ...(onRevoked ? { onRevoked: (tps: TopicPartition[]) => onRevoked(tps.map(this.#back)) } : {}),
    });
    return {
      groupId: inner.groupId,
      run: (handler: BatchHandler) =>
        inner.run((batch) => handler({ ...batch, topic: this.from(batch.topic), records: batch.records.map(this.#back) })),
      assignment: () => inner.assignment().map(this.#back),
      seek: (tp, offset) => inner.seek(this.#tp(tp), offset),
      pause: (tps) => inner.pause(tps.map(this.#tp)),
      resume: (tps) => inner.resume(tps.map(this.#tp)),
      commit: (offsets) => inner.commit(offsets.map(this.#tp)),
      stop: () => inner.stop(),
    };
  }

  async #transaction(options: TransactionOptions): Promise<LogTransaction> {
    const inner = await this.#inner.transaction!(options);
    return {
      append: async (topic, records) => (await inner.append(this.to(topic), records)).map(this.#back),
      sendOffsets: (groupId, offsets) => inner.sendOffsets(groupId, offsets.map(this.#tp)),
      commit: () => inner.commit(),
      abort: () => inner.abort(),
    };
  }
}
