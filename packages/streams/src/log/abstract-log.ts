import { StreamsError, TopicError } from '../errors.js';
import type {
  ConsumerOptions,
  Log,
  LogConsumer,
  LogRecord,
  LogSupports,
  NewTopic,
  ProducerRecord,
  ReadOptions,
  RecordMetadata,
  TopicConfig,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
} from './types.js';

type Status = 'closed' | 'opening' | 'open' | 'closing';

/** Kafka's legal topic names: 1–249 characters of [a-zA-Z0-9._-], and not "." or "..". */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export const DEFAULT_TOPIC_CONFIG: Required<TopicConfig> = {
  cleanupPolicy: 'delete',
  retentionMs: -1,
  deleteRetentionMs: 86_400_000,
};

/**
 * The base of every Log backend (C4). It owns argument validation, option defaults and the
 * open/closed lifecycle; backends implement only the protected `_hooks`, which receive
 * normalised arguments and are never called on a log that is not open.
 */
export abstract class AbstractLog implements Log {
  readonly supports: LogSupports;
  #status: Status = 'closed';

  protected constructor(supports: LogSupports) {
    this.supports = Object.freeze({ ...supports });
  }

  get status(): Status {
    return this.#status;
  }

  async open(): Promise<void> {
    if (this.#status === 'open') return;
    if (this.#status !== 'closed') throw new StreamsError('STREAMS_LOG_NOT_OPEN', `cannot open a log that is ${this.#status}`);
    this.#status = 'opening';
    try {
      await this._open();
      this.#status = 'open';
    } catch (err) {
      this.#status = 'closed';
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.#status !== 'open') return;
    this.#status = 'closing';
    try {
      await this._close();
    } finally {
      this.#status = 'closed';
    }
  }

  async createTopics(topics: NewTopic[], options: { ifNotExists?: boolean } = {}): Promise<void> {
    this.assertOpen();
    const normalised = topics.map(normaliseNewTopic);
    return this._createTopics(normalised, options.ifNotExists ?? false);
  }

  async deleteTopics(names: string[]): Promise<void> {
    this.assertOpen();
    names.forEach(assertTopicName);
    return this._deleteTopics(names);
  }

  async listTopics(): Promise<string[]> {
    this.assertOpen();
    return this._listTopics();
  }

  async describeTopic(name: string): Promise<TopicDescription> {
    this.assertOpen();
    assertTopicName(name);
    return this._describeTopic(name);
  }

  async append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]> {
    this.assertOpen();
    assertTopicName(topic);
    if (!Array.isArray(records)) throw new TypeError('records must be an array');
    for (const record of records) assertProducerRecord(record);
    if (records.length === 0) return [];
    return this._append(topic, records);
  }

  async read(tp: TopicPartition, offset: number, options: ReadOptions = {}): Promise<LogRecord[]> {
    this.assertOpen();
    assertTopicPartition(tp);
    assertOffset(offset);
    const maxRecords = options.maxRecords ?? 1000;
    if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new RangeError('maxRecords must be a positive integer');
    return this._read(tp, offset, maxRecords);
  }

  async beginningOffset(tp: TopicPartition): Promise<number> {
    this.assertOpen();
    assertTopicPartition(tp);
    return this._beginningOffset(tp);
  }

  async endOffset(tp: TopicPartition): Promise<number> {
    this.assertOpen();
    assertTopicPartition(tp);
    return this._endOffset(tp);
  }

  async offsetForTimestamp(tp: TopicPartition, timestamp: number): Promise<number> {
    this.assertOpen();
    assertTopicPartition(tp);
    if (!Number.isFinite(timestamp)) throw new TypeError('timestamp must be a finite number');
    return this._offsetForTimestamp(tp, timestamp);
  }

  async commitOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    this.assertOpen();
    assertGroupId(groupId);
    for (const o of offsets) {
      assertTopicPartition(o);
      assertOffset(o.offset);
    }
    if (offsets.length === 0) return;
    return this._commitOffsets(groupId, offsets);
  }

  async committedOffsets(groupId: string, topic?: string): Promise<TopicPartitionOffset[]> {
    this.assertOpen();
    assertGroupId(groupId);
    if (topic !== undefined) assertTopicName(topic);
    return this._committedOffsets(groupId, topic);
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.assertOpen();
    assertGroupId(groupId);
    return this._deleteGroup(groupId);
  }

  consumer(options: ConsumerOptions): LogConsumer {
    this.assertOpen();
    assertGroupId(options.groupId);
    if (!Array.isArray(options.topics) || options.topics.length === 0) throw new TypeError('consumer needs at least one topic');
    options.topics.forEach(assertTopicName);
    const maxBatchRecords = options.maxBatchRecords ?? 1000;
    if (!Number.isInteger(maxBatchRecords) || maxBatchRecords < 1) throw new RangeError('maxBatchRecords must be a positive integer');
    return this._consumer({ autoOffsetReset: 'earliest', ...options, maxBatchRecords });
  }

  protected assertOpen(): void {
    if (this.#status !== 'open') throw new StreamsError('STREAMS_LOG_NOT_OPEN', `the log is ${this.#status}`);
  }

  protected abstract _open(): Promise<void>;
  protected abstract _close(): Promise<void>;
  protected abstract _createTopics(topics: Required<NewTopic>[], ifNotExists: boolean): Promise<void>;
  protected abstract _deleteTopics(names: string[]): Promise<void>;
  protected abstract _listTopics(): Promise<string[]>;
  protected abstract _describeTopic(name: string): Promise<TopicDescription>;
  protected abstract _append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]>;
  protected abstract _read(tp: TopicPartition, offset: number, maxRecords: number): Promise<LogRecord[]>;
  protected abstract _beginningOffset(tp: TopicPartition): Promise<number>;
  protected abstract _endOffset(tp: TopicPartition): Promise<number>;
  protected abstract _offsetForTimestamp(tp: TopicPartition, timestamp: number): Promise<number>;
  protected abstract _commitOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  protected abstract _committedOffsets(groupId: string, topic?: string): Promise<TopicPartitionOffset[]>;
  protected abstract _deleteGroup(groupId: string): Promise<void>;
  protected abstract _consumer(options: ConsumerOptions & { maxBatchRecords: number }): LogConsumer;
}

export function assertTopicName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new TypeError(`invalid topic name ${JSON.stringify(name)}: use 1-249 characters of [a-zA-Z0-9._-]`);
  }
}

function assertGroupId(groupId: unknown): asserts groupId is string {
  if (typeof groupId !== 'string' || groupId.length === 0) throw new TypeError('groupId must be a non-empty string');
}

function assertTopicPartition(tp: TopicPartition): void {
  assertTopicName(tp?.topic);
  if (!Number.isInteger(tp.partition) || tp.partition < 0) throw new RangeError(`invalid partition ${tp.partition}`);
}

function assertOffset(offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`invalid offset ${offset}`);
}

function assertProducerRecord(record: ProducerRecord): void {
  if (record === null || typeof record !== 'object') throw new TypeError('a record must be an object');
  if (record.key !== null && !Buffer.isBuffer(record.key)) throw new TypeError('record key must be a Buffer or null');
  if (record.value !== null && !Buffer.isBuffer(record.value)) throw new TypeError('record value must be a Buffer or null');
  if (record.timestamp !== undefined && !Number.isFinite(record.timestamp)) throw new TypeError('record timestamp must be a finite number');
  if (record.partition !== undefined && (!Number.isInteger(record.partition) || record.partition < 0)) {
    throw new RangeError(`invalid partition ${record.partition}`);
  }
  if (record.headers !== undefined) {
    // for-in rather than Object.entries: this runs for every appended record.
    for (const name in record.headers) {
      if (!Buffer.isBuffer(record.headers[name])) throw new TypeError(`header ${name} must be a Buffer`);
    }
  }
}

function normaliseNewTopic(topic: NewTopic): Required<NewTopic> {
  assertTopicName(topic?.name);
  const partitions = topic.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`topic ${topic.name}: partitions must be a positive integer`);
  const config = { ...DEFAULT_TOPIC_CONFIG, ...stripUndefined(topic.config ?? {}) };
  if (config.cleanupPolicy !== 'delete' && config.cleanupPolicy !== 'compact') {
    throw new TypeError(`topic ${topic.name}: cleanupPolicy must be 'delete' or 'compact'`);
  }
  return { name: topic.name, partitions, config };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The error every backend raises for a partition that does not exist. */
export function partitionNotFound(tp: TopicPartition): TopicError {
  return new TopicError('STREAMS_PARTITION_NOT_FOUND', `partition ${tp.partition} of topic ${tp.topic} does not exist`, tp);
}

export function topicNotFound(topic: string): TopicError {
  return new TopicError('STREAMS_TOPIC_NOT_FOUND', `topic ${topic} does not exist`, { topic });
}
