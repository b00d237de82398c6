import type { LogRecord } from '../log/types.js';
import { partitionForKey } from '../log/partitioner.js';
import type { Clock } from '../processor/clock.js';
import type { DeadLetterHandler } from '../processor/internals/stream-task.js';
import { StreamTask } from '../processor/internals/stream-task.js';
import type { RecordCollector } from '../processor/internals/record-collector.js';
import type { SubtopologyPlan, TopologyPlan } from '../processor/internals/topology-plan.js';
import type { ByteStoreFactory } from '../state/builders/store-builder.js';
import type { ReadOnlyKeyValueStore, ValueAndTimestamp } from '../state/typed/typed-key-value-store.js';
import type { Topology } from '../processor/topology.js';
import type { Serde } from '../serde/types.js';
import { Stores } from '../state/stores.js';
import { driverStoreView } from './driver-store-view.js';
import { DriverTopics, type DriverRecordFields } from './driver-topics.js';
import { TestInputTopic, type TestInputTopicOptions } from './test-input-topic.js';
import { TestOutputTopic } from './test-output-topic.js';

export interface TopologyTestDriverOptions {
  /** Prefix of internal topics (`<id>-<name>-repartition`, `<id>-<store>-changelog`); default 'test-app'. */
  applicationId?: string;
  /** Partitions of every topic, hence tasks per sub-topology; default 1. Keyed records go where murmur2 sends them. */
  partitions?: number;
  /** Initial wall-clock time in ms; default 0. */
  startTimeMs?: number;
  /** The only backend the driver offers: every store in memory. */
  stores?: 'memory';
  /** Commit after every piped record and every wall-clock advance (Kafka's driver behaviour); default true. */
  autoCommit?: boolean;
  /** 'fail' (default) makes pipeInput throw STREAMS_SERDE_DECODE; 'continue' records a dead letter. */
  deserializationExceptionHandler?: 'fail' | 'continue';
}

/** How a simulated crash loses work (at-least-once: input since the last commit is processed again). */
export interface CrashOptions {
  /**
   * 'before-flush': the crash hit before the producer flushed, so every record the application
   * wrote since the last commit (outputs, repartition and changelog records) is lost.
   * 'after-flush': those records were written but the input offsets were not committed, so
   * replaying produces duplicates and stores restored from the changelog already hold the effects.
   */
  phase: 'before-flush' | 'after-flush';
}

/** An input record the topology could not deserialize, kept when the handler is 'continue'. */
export interface DeadLetter {
  readonly record: LogRecord;
  readonly reason: unknown;
}

interface QueueEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const tp = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * Runs a Topology in-process, deterministically, without a log: piped records are processed
 * synchronously, records written to topics the topology reads (repartition topics) are fed back
 * at once in production order, wall-clock time moves only when told. Stores live in memory and
 * write changelogs, so `crash()` can rebuild them the way the engine restores after a failure.
 * Create with `await TopologyTestDriver.create(topology, options)`: stores open asynchronously.
 */
export class TopologyTestDriver {
  readonly applicationId: string;
  readonly partitions: number;
  readonly #plan: TopologyPlan;
  readonly #options: TopologyTestDriverOptions;
  readonly #topics: DriverTopics;
  readonly #factory: ByteStoreFactory = {
    keyValueStore: (spec) => Stores.inMemoryKeyValueStore(spec.name),
    windowStore: (spec) => Stores.inMemoryWindowStore(spec.name, { retentionMs: spec.retentionMs }),
  };
  readonly #clock: Clock;
  readonly #deadLetters: DeadLetter[] = [];
  readonly #roundRobin = new Map<string, number>();
  readonly #sourceTopics: ReadonlySet<string>;
  #wallClockMs: number;
  #tasks = new Map<string, StreamTask>();
  #globalTasks: StreamTask[] = [];
  #queue: QueueEntry[] = [];
  #positions = new Map<string, number>();
  #committed = new Map<string, number>();
  #committedSeq = 0;
  #broken = false;
  #closed = false;

  private constructor(topology: Topology, options: TopologyTestDriverOptions) {
    const partitions = options.partitions ?? 1;
    if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    if (options.stores !== undefined && options.stores !== 'memory') throw new TypeError(`unsupported stores option ${String(options.stores)}`);
    this.applicationId = options.applicationId ?? 'test-app';
    this.partitions = partitions;
    this.#options = options;
    this.#plan = topology.plan(this.applicationId);
    this.#topics = new DriverTopics(partitions);
    this.#sourceTopics = new Set([...this.#plan.subtopologies, ...this.#plan.globalStores].flatMap((s) => s.sourceTopics));
    this.#wallClockMs = options.startTimeMs ?? 0;
    this.#clock = { now: () => this.#wallClockMs };
  }

  /** Builds the tasks (one per sub-topology and partition) and opens their stores. */
  static async create(topology: Topology, options: TopologyTestDriverOptions = {}): Promise<TopologyTestDriver> {
    const driver = new TopologyTestDriver(topology, options);
    await driver.#startTasks();
    return driver;
  }

  /** An input topic: a source topic of the topology, or a global store's topic. */
  createInputTopic<TKey, TValue>(
    name: string,
    keySerde: Serde<TKey>,
    valueSerde: Serde<TValue>,
    options: TestInputTopicOptions = {},
  ): TestInputTopic<TKey, TValue> {
    if (!this.#isSourceTopic(name)) throw new TypeError(`topic ${name} is not read by this topology`);
    const config = {
      keySerde,
      valueSerde,
      startTimestampMs: options.startTimestampMs ?? this.#options.startTimeMs ?? 0,
      autoAdvanceMs: options.autoAdvanceMs ?? 0,
    };
    return new TestInputTopic(name, config, {
      pipe: (topic, fields) => this.#pipe(topic, fields),
      pipeAsync: (topic, fields) => this.#pipeAsync(topic, fields),
    });
  }

  /** Any topic: an output, or an internal one by its run-time name (`<applicationId>-...`). */
  createOutputTopic<TKey, TValue>(name: string, keySerde: Serde<TKey>, valueSerde: Serde<TValue>): TestOutputTopic<TKey, TValue> {
    return new TestOutputTopic(name, { keySerde, valueSerde }, this.#topics);
  }

  /** Typed read access to a key-value store, across all partitions; timestamps stripped. */
  getKeyValueStore<TKey, TValue>(name: string): ReadOnlyKeyValueStore<TKey, TValue> {
    this.#assertStore(name);
    return driverStoreView(name, () => this.#storeInstances(name).map((s) => s.keyValueView as ReadOnlyKeyValueStore<TKey, TValue>));
  }

  /** Typed read access to a timestamped key-value store (what KTables materialize into). */
  getTimestampedKeyValueStore<TKey, TValue>(name: string): ReadOnlyKeyValueStore<TKey, ValueAndTimestamp<TValue>> {
    this.#assertStore(name);
    if (this.#storeInstances(name).some((s) => s.kind !== 'timestamped-key-value')) throw new TypeError(`store ${name} is not timestamped`);
    return driverStoreView(name, () => this.#storeInstances(name).map((s) => s.facade as ReadOnlyKeyValueStore<TKey, ValueAndTimestamp<TValue>>));
  }

  /** Every record written to a topic so far (all partitions, production order), e.g. a changelog. */
  readTopic(name: string): readonly LogRecord[] {
    return [...this.#topics.all(name)];
  }

  /** Input records that failed to deserialize under the 'continue' handler. */
  get deadLetters(): readonly DeadLetter[] {
    return this.#deadLetters;
  }

  /** The driver's wall-clock time in ms. */
  get wallClockTimeMs(): number {
    return this.#wallClockMs;
  }

  /** Moves wall-clock time and fires the wall-clock punctuators that became due. */
  advanceWallClockTime(ms: number): void {
    this.#runSync(() => this.#advanceClock(ms));
  }

  async advanceWallClockTimeAsync(ms: number): Promise<void> {
    await this.#runAsync(() => this.#advanceClock(ms));
  }

  /** Marks everything processed and written so far as committed (only needed with `autoCommit: false`). */
  commit(): void {
    this.#assertUsable();
    this.#committed = new Map(this.#positions);
    this.#committedSeq = this.#topics.lastSeq;
  }

  /**
   * Simulates a crash and a restart: tasks are dropped without closing, stores are rebuilt from
   * their changelogs, global stores from their topics, and input since the last commit is
   * processed again.
   */
  async crash(options: CrashOptions): Promise<void> {
    this.#assertUsable();
    if (options.phase !== 'before-flush' && options.phase !== 'after-flush') throw new TypeError(`unknown crash phase ${String(options.phase)}`);
    if (options.phase === 'before-flush') {
      const since = this.#committedSeq;
      this.#topics.dropWhere((r) => r.producedByApp && r.seq > since);
    }
    this.#positions = new Map(this.#committed);
    this.#queue = [];
    await this.#startTasks((task) => {
      for (const { storeName, topic, partition } of task.changelogPartitions()) {
        task.restore(storeName, this.#topics.read(topic, partition));
      }
    });
    const replay = (plans: readonly SubtopologyPlan[], fromStart: boolean): QueueEntry[] =>
      plans.flatMap((plan) =>
        plan.sourceTopics.flatMap((topic) =>
          Array.from({ length: this.partitions }, (_, p) => {
            const from = fromStart ? 0 : (this.#committed.get(tp(topic, p)) ?? 0);
            return this.#topics.read(topic, p, from);
          }).flat(),
        ),
      ).sort((a, b) => a.seq - b.seq);
    this.#queue = [...replay(this.#plan.globalStores, true), ...replay(this.#plan.subtopologies, false)];
    await this.#runAsync(() => undefined);
  }

  /** Closes every task (processors, then stores). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of [...this.#tasks.values(), ...this.#globalTasks]) await task.close();
  }

  /** Builds fresh tasks, opens their stores, lets `restore` fill them, then initializes the processors. */
  async #startTasks(restore?: (task: StreamTask) => void): Promise<void> {
    const collector: RecordCollector = {
      send: (record) => this.#append(record.topic, record.partition, record, true),
      partitionsFor: () => this.#partitions(),
    };
    const common = {
      applicationId: this.applicationId,
      storeFactory: this.#factory,
      collector,
      clock: this.#clock,
      deserializationExceptionHandler: this.#options.deserializationExceptionHandler ?? 'fail',
      onDeadLetter: ((record, reason) => this.#deadLetters.push({ record, reason })) satisfies DeadLetterHandler,
    };
    this.#globalTasks = this.#plan.globalStores.map(
      (subtopology) => new StreamTask({ ...common, taskId: { subtopology: subtopology.id, partition: 0 }, subtopology }),
    );
    const globalStores = new Map<string, unknown>();
    for (const task of this.#globalTasks) for (const [name, store] of task.stores) globalStores.set(name, store.built.facade);
    this.#tasks = new Map();
    for (const subtopology of this.#plan.subtopologies) {
      for (let partition = 0; partition < this.partitions; partition++) {
        const taskId = { subtopology: subtopology.id, partition };
        this.#tasks.set(`${subtopology.id}_${partition}`, new StreamTask({ ...common, taskId, subtopology, globalStores }));
      }
    }
    const all = [...this.#globalTasks, ...this.#tasks.values()];
    await Promise.all(all.map((t) => t.initializeStores()));
    if (restore !== undefined) all.forEach(restore);
    await Promise.all(all.map((t) => t.initialize()));
  }

  #partitions(): number {
    return this.partitions;
  }

  #append(topic: string, partition: number | undefined, fields: DriverRecordFields, producedByApp: boolean): void {
    const target = partition ?? this.#partitionFor(topic, fields.key);
    const record = this.#topics.append(topic, target, fields, producedByApp);
    if (this.#isSourceTopic(topic)) this.#queue.push({ topic, partition: target, offset: record.offset });
  }

  /** Keyed records by murmur2, like Kafka; null keys round-robin per topic (deterministic). */
  #partitionFor(topic: string, key: Buffer | null): number {
    if (key !== null) return partitionForKey(key, this.partitions);
    const next = this.#roundRobin.get(topic) ?? 0;
    this.#roundRobin.set(topic, next + 1);
    return next % this.partitions;
  }

  #pipe(topic: string, fields: DriverRecordFields): void {
    this.#runSync(() => this.#append(topic, undefined, fields, false));
  }

  async #pipeAsync(topic: string, fields: DriverRecordFields): Promise<void> {
    await this.#runAsync(() => this.#append(topic, undefined, fields, false));
  }

  #advanceClock(ms: number): (void | Promise<void>)[] {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advanceWallClockTime needs a non-negative number of ms');
    this.#wallClockMs += ms;
    return [...this.#globalTasks, ...this.#tasks.values()].map((task) => task.punctuate(this.#wallClockMs));
  }

  /** Runs `start`, then every queued record; a processor that returns a promise is a misuse here. */
  #runSync(start: () => void | (void | Promise<void>)[]): void {
    this.#assertUsable();
    const started = start() ?? [];
    for (const r of started) if (r !== undefined) this.#wentAsync(r);
    while (this.#queue.length > 0) {
      const result = this.#deliverNext();
      if (result !== undefined) this.#wentAsync(result);
    }
    if (this.#options.autoCommit ?? true) this.commit();
  }

  async #runAsync(start: () => void | (void | Promise<void>)[]): Promise<void> {
    this.#assertUsable();
    const started = start() ?? [];
    for (const r of started) await r;
    while (this.#queue.length > 0) await this.#deliverNext();
    if (this.#options.autoCommit ?? true) this.commit();
  }

  #deliverNext(): void | Promise<void> {
    const entry = this.#queue.shift()!;
    const record = this.#topics.get(entry.topic, entry.partition, entry.offset)!;
    this.#positions.set(tp(entry.topic, entry.partition), entry.offset + 1);
    return this.#taskFor(entry.topic, entry.partition).process(record);
  }

  #wentAsync(result: Promise<void>): never {
    this.#broken = true;
    result.catch(() => undefined);
    throw new TypeError('a processor returned a promise: use the *Async methods of the driver and its input topics');
  }

  #taskFor(topic: string, partition: number): StreamTask {
    const global = this.#globalTasks.find((t) => t.sourceTopics.includes(topic));
    if (global !== undefined) return global;
    const plan = this.#plan.subtopologies.find((s) => s.sourceTopics.includes(topic))!;
    return this.#tasks.get(`${plan.id}_${partition}`)!;
  }

  #isSourceTopic(topic: string): boolean {
    return this.#sourceTopics.has(topic);
  }

  #storeInstances(name: string) {
    const tasks = [...this.#globalTasks, ...this.#tasks.values()];
    return tasks.flatMap((t) => {
      const store = t.stores.get(name);
      return store === undefined ? [] : [store.built];
    });
  }

  #assertStore(name: string): void {
    if (this.#storeInstances(name).length === 0) throw new TypeError(`no store named ${name} in this topology`);
  }

  #assertUsable(): void {
    if (this.#closed) throw new TypeError('the driver is closed');
    if (this.#broken) throw new TypeError('the driver is unusable after a processor went async in a synchronous call');
  }
}
