import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { StreamsError, TopicError } from '../../errors.js';
import { AbstractLog, partitionNotFound, topicNotFound } from '../abstract-log.js';
import { partitionForKey } from '../partitioner.js';
import type {
  ConsumerOptions,
  LogConsumer,
  LogRecord,
  NewTopic,
  ProducerRecord,
  RecordMetadata,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
} from '../types.js';
import { acquireDirectoryLock } from './directory-lock.js';
import { EmbeddedConsumer, type ConsumerHost } from './embedded-consumer.js';
import { GroupCoordinator } from './group-coordinator.js';
import { OffsetStore } from './offset-store.js';
import { PartitionLog } from './partition-log.js';
import type { SegmentCorruption, SegmentIo } from './segment.js';
import { nodeSegmentFs, syncDirectory, type SegmentFs } from './segment-fs.js';
import type { Signal } from './signal.js';

export interface EmbeddedLogOptions {
  /** Directory holding topics and committed offsets; created if missing. */
  dir: string;
  /** A segment file rolls past this size, in bytes. Default 64 MiB. */
  segmentBytes?: number;
  /**
   * fdatasync after every append and commit. Default false: an acknowledged append is in the OS
   * page cache, which survives a crash of the process (not of the machine).
   */
  fsync?: boolean;
  /** How often compaction and retention run, in milliseconds; 0 turns the timer off. Default 30 000. */
  maintenanceIntervalMs?: number;
  /** The clock for default timestamps, retention and tombstone expiry. Default Date.now. */
  clock?: () => number;
  /**
   * Called for each damaged byte range found in the middle of a segment on open (the complete
   * records after it are kept). Default: a process warning with code STREAMS_LOG_CORRUPT.
   */
  onCorruption?: (corruption: SegmentCorruption) => void;
  /** The file-system calls segment files are written and read with. Default node:fs; tests inject faults here. */
  fs?: SegmentFs;
}

function warnCorruption(c: SegmentCorruption): void {
  process.emitWarning(
    `${c.file}: ${c.length} damaged bytes at byte ${c.position} skipped; records kept from offset ${c.resumedAtOffset}`,
    { code: 'STREAMS_LOG_CORRUPT' },
  );
}

interface Topic {
  description: TopicDescription;
  partitions: PartitionLog[];
  /** Round-robin cursor for records with neither key nor partition. */
  nextUnkeyed: number;
}

/**
 * The default Log: in-process, durable on local disk, no server. Topics are directories of
 * partitions, partitions are append-only segment files, committed offsets are JSON files.
 */
export class EmbeddedLog extends AbstractLog {
  readonly #dir: string;
  readonly #segmentBytes: number;
  readonly #fsync: boolean;
  readonly #maintenanceIntervalMs: number;
  readonly #clock: () => number;
  readonly #io: SegmentIo;
  readonly #topics = new Map<string, Topic>();
  readonly #watchers = new Map<string, Set<Signal>>();
  readonly #coordinator = new GroupCoordinator((topic) => this.#topics.get(topic)?.partitions.length ?? 0);
  #offsets: OffsetStore | undefined;
  #unlock: (() => void) | undefined;
  #maintenanceTimer: NodeJS.Timeout | undefined;
  /** The timer's maintenance pass in progress (it runs in steps, see #maintainInSteps). */
  #maintenancePass: Promise<void> | undefined;
  #maintenanceStopped = false;
  readonly #consumers = new Set<LogConsumer>();

  constructor(options: EmbeddedLogOptions) {
    super({ compaction: true, retention: true, transactions: false, groupRebalance: true });
    if (typeof options?.dir !== 'string' || options.dir.length === 0) throw new TypeError('EmbeddedLog needs a dir');
    this.#dir = options.dir;
    this.#segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.#fsync = options.fsync ?? false;
    this.#maintenanceIntervalMs = options.maintenanceIntervalMs ?? 30_000;
    this.#clock = options.clock ?? Date.now;
    this.#io = { fs: options.fs ?? nodeSegmentFs, onCorruption: options.onCorruption ?? warnCorruption };
  }

  /** True when appends and commits are fdatasynced before they are acknowledged. */
  get fsync(): boolean {
    return this.#fsync;
  }

  /** Runs compaction (compacted topics) and retention (delete topics) now; normally a timer does it. */
  maintain(topic?: string): void {
    this.assertOpen();
    const now = this.#clock();
    for (const t of topic === undefined ? this.#topics.values() : [this.#requireTopic(topic)]) {
      const { config } = t.description;
      for (const partition of t.partitions) {
        if (config.cleanupPolicy === 'compact') partition.compact(config, now);
        else partition.enforceRetention(config.retentionMs, now);
      }
    }
  }

  /** Closes the active segment of every partition of `topic`, making its records eligible for compaction and retention. */
  roll(topic: string): void {
    this.assertOpen();
    for (const partition of this.#requireTopic(topic).partitions) partition.roll();
  }

  protected async _open(): Promise<void> {
    fs.mkdirSync(path.join(this.#dir, 'topics'), { recursive: true });
    this.#unlock = acquireDirectoryLock(this.#dir);
    try {
      this.#offsets = new OffsetStore(path.join(this.#dir, 'groups'));
      for (const name of fs.readdirSync(path.join(this.#dir, 'topics'))) this.#loadTopic(name);
    } catch (err) {
      this.#closeTopics();
      this.#unlock();
      throw err instanceof StreamsError ? err : new StreamsError('STREAMS_LOG_IO', `cannot open ${this.#dir}`, { cause: err });
    }
    if (this.#maintenanceIntervalMs > 0) {
      this.#maintenanceStopped = false;
      this.#maintenanceTimer = setInterval(() => this.#startMaintenancePass(), this.#maintenanceIntervalMs);
      this.#maintenanceTimer.unref();
    }
  }

  /** Starts a pass unless the previous one is still running (a pass over a large log can outlast the interval). */
  #startMaintenancePass(): void {
    if (this.#maintenancePass !== undefined) return;
    this.#maintenancePass = this.#maintainInSteps()
      .catch((err: unknown) => process.emitWarning(`embedded log maintenance failed in ${this.#dir}: ${(err as Error).message ?? err}`, { code: 'STREAMS_LOG_IO' }))
      .finally(() => (this.#maintenancePass = undefined));
  }

  /**
   * What maintain() does, with the event loop given back between steps: compaction rescans and
   * rewrites whole segments, which on a large changelog held every request for seconds.
   */
  async #maintainInSteps(): Promise<void> {
    const now = this.#clock();
    for (const t of [...this.#topics.values()]) {
      const { config } = t.description;
      for (const partition of t.partitions) {
        if (this.#maintenanceStopped) return;
        if (partition.closed) continue;
        if (config.cleanupPolicy === 'compact') {
          for (const _ of partition.compactionSteps(config, now)) {
            await nextTurn();
            if (this.#maintenanceStopped) return;
          }
        } else partition.enforceRetention(config.retentionMs, now);
        await nextTurn();
      }
    }
  }

  protected async _close(): Promise<void> {
    clearInterval(this.#maintenanceTimer);
    // A pass in progress stops at its next step, before the partitions close under it.
    this.#maintenanceStopped = true;
    await this.#maintenancePass;
    await Promise.all([...this.#consumers].map((c) => c.stop()));
    this.#consumers.clear();
    this.#closeTopics();
    this.#unlock?.();
  }

  protected async _createTopics(topics: Required<NewTopic>[], ifNotExists: boolean): Promise<void> {
    const created: string[] = [];
    for (const topic of topics) {
      if (this.#topics.has(topic.name)) {
        if (ifNotExists) continue;
        throw new TopicError('STREAMS_TOPIC_EXISTS', `topic ${topic.name} already exists`, { topic: topic.name });
      }
      const dir = this.#topicDir(topic.name);
      fs.mkdirSync(dir, { recursive: true });
      const description: TopicDescription = { name: topic.name, partitions: topic.partitions, config: topic.config as TopicDescription['config'] };
      fs.writeFileSync(path.join(dir, 'topic.json'), JSON.stringify(description), { flush: this.#fsync });
      if (this.#fsync) syncDirectory(path.join(this.#dir, 'topics'));
      this.#loadTopic(topic.name);
      created.push(topic.name);
    }
    // Only new topics change an assignment: every process start re-creates its topics
    // (ifNotExists), which must not make the groups of the apps already running rebalance.
    if (created.length > 0) await this.#coordinator.topicsChanged(created);
  }

  protected async _deleteTopics(names: string[]): Promise<void> {
    for (const name of names) {
      const topic = this.#requireTopic(name);
      for (const partition of topic.partitions) partition.close();
      this.#topics.delete(name);
      fs.rmSync(this.#topicDir(name), { recursive: true, force: true });
      this.#offsets!.forgetTopic(name, this.#fsync);
    }
    await this.#coordinator.topicsChanged(names);
  }

  protected async _listTopics(): Promise<string[]> {
    return [...this.#topics.keys()].sort();
  }

  protected async _describeTopic(name: string): Promise<TopicDescription> {
    const { description } = this.#requireTopic(name);
    return { ...description, config: { ...description.config } };
  }

  protected async _append(topicName: string, records: ProducerRecord[]): Promise<RecordMetadata[]> {
    const topic = this.#requireTopic(topicName);
    const count = topic.partitions.length;
    const byPartition = new Map<number, { records: ProducerRecord[]; indexes: number[] }>();
    records.forEach((record, index) => {
      const partition = this.#choosePartition(topic, record, count);
      if (topic.description.config.cleanupPolicy === 'compact' && record.key === null) {
        throw new TopicError('STREAMS_INVALID_RECORD', `compacted topic ${topicName} requires a key on every record`, { topic: topicName });
      }
      const group = byPartition.get(partition) ?? { records: [], indexes: [] };
      group.records.push(record);
      group.indexes.push(index);
      byPartition.set(partition, group);
    });
    const now = this.#clock();
    const result = new Array<RecordMetadata>(records.length);
    try {
      // Each partition's write is all or nothing; a failure in one leaves the partitions
      // written before it written (as a Kafka produce to several partitions would).
      for (const [partition, group] of byPartition) {
        const first = topic.partitions[partition]!.append(group.records, now);
        group.indexes.forEach((index, i) => (result[index] = { topic: topicName, partition, offset: first + i }));
      }
    } finally {
      for (const signal of this.#watchers.get(topicName) ?? []) signal.notify();
    }
    return result;
  }

  protected async _read(tp: TopicPartition, offset: number, maxRecords: number): Promise<LogRecord[]> {
    const partition = this.#requirePartition(tp);
    if (offset > partition.endOffset) {
      throw new TopicError('STREAMS_OFFSET_OUT_OF_RANGE', `offset ${offset} is past the end (${partition.endOffset}) of ${tp.topic}/${tp.partition}`, tp);
    }
    return partition.read(Math.max(offset, partition.beginningOffset), maxRecords);
  }

  protected async _beginningOffset(tp: TopicPartition): Promise<number> {
    return this.#requirePartition(tp).beginningOffset;
  }

  protected async _endOffset(tp: TopicPartition): Promise<number> {
    return this.#requirePartition(tp).endOffset;
  }

  protected async _offsetForTimestamp(tp: TopicPartition, timestamp: number): Promise<number> {
    return this.#requirePartition(tp).offsetForTimestamp(timestamp);
  }

  protected async _commitOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    for (const o of offsets) this.#requirePartition(o);
    this.#offsets!.commit(groupId, offsets, this.#fsync);
  }

  protected async _committedOffsets(groupId: string, topic?: string): Promise<TopicPartitionOffset[]> {
    return this.#offsets!.committed(groupId, topic);
  }

  protected async _deleteGroup(groupId: string): Promise<void> {
    this.#offsets!.deleteGroup(groupId);
  }

  protected _consumer(options: ConsumerOptions & { maxBatchRecords: number }): LogConsumer {
    const consumer = new EmbeddedConsumer(this.#consumerHost(), options);
    this.#consumers.add(consumer);
    return consumer;
  }

  #consumerHost(): ConsumerHost {
    return {
      coordinator: this.#coordinator,
      partitionLog: (tp) => this.#topics.get(tp.topic)?.partitions[tp.partition],
      committedOffset: (groupId, tp) => this.#offsets?.offsetOf(groupId, tp.topic, tp.partition),
      commit: (groupId, offsets) => this.commitOffsets(groupId, offsets),
      watch: (topics, signal) => {
        for (const t of topics) this.#watchers.set(t, (this.#watchers.get(t) ?? new Set()).add(signal));
        return () => topics.forEach((t) => this.#watchers.get(t)?.delete(signal));
      },
    };
  }

  #choosePartition(topic: Topic, record: ProducerRecord, count: number): number {
    if (record.partition !== undefined) {
      if (record.partition >= count) throw partitionNotFound({ topic: topic.description.name, partition: record.partition });
      return record.partition;
    }
    if (record.key !== null) return partitionForKey(record.key, count);
    return topic.nextUnkeyed++ % count;
  }

  #loadTopic(name: string): void {
    const dir = this.#topicDir(name);
    const metaFile = path.join(dir, 'topic.json');
    // A topic directory without its metadata is a creation cut short by a crash.
    if (!fs.existsSync(metaFile)) {
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    }
    const description = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as TopicDescription;
    const partitions = Array.from({ length: description.partitions }, (_, partition) =>
      new PartitionLog({ dir: path.join(dir, String(partition)), topic: name, partition, segmentBytes: this.#segmentBytes, fsync: this.#fsync, io: this.#io }),
    );
    this.#topics.set(name, { description, partitions, nextUnkeyed: 0 });
  }

  #closeTopics(): void {
    for (const topic of this.#topics.values()) for (const partition of topic.partitions) partition.close();
    this.#topics.clear();
  }

  #requireTopic(name: string): Topic {
    const topic = this.#topics.get(name);
    if (!topic) throw topicNotFound(name);
    return topic;
  }

  #requirePartition(tp: TopicPartition): PartitionLog {
    const partition = this.#requireTopic(tp.topic).partitions[tp.partition];
    if (!partition) throw partitionNotFound(tp);
    return partition;
  }

  #topicDir(name: string): string {
    return path.join(this.#dir, 'topics', name);
  }
}
