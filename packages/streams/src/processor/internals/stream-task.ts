import { isStreamsError, StreamsError, TopicError } from '../../errors.js';
import type { LogRecord, RecordMetadata } from '../../log/types.js';
import type { Clock } from '../clock.js';
import type { Processor } from '../processor.js';
import { formatTaskId, type Cancellable, type PunctuationType, type Punctuator, type TaskId } from '../processor-context.js';
import type { StreamRecord } from '../record.js';
import type { ByteStoreFactory } from '../../state/builders/store-builder.js';
import { failOnInvalidTimestamp } from '../timestamp-extractor.js';
import type { SourceNodeDefinition } from './node-definitions.js';
import { NodeContext, type TaskRuntime } from './node-context.js';
import { PunctuationQueue } from './punctuation-queue.js';
import type { RecordCollector } from './record-collector.js';
import { SinkProcessor } from './sink-processor.js';
import { buildTaskStores, type TaskStore } from './task-stores.js';
import type { SubtopologyPlan } from './topology-plan.js';

/** Called with an input record that could not be deserialized, when the handler is 'continue'. */
export type DeadLetterHandler = (record: LogRecord, reason: unknown) => void;

export interface StreamTaskOptions {
  taskId: TaskId;
  applicationId: string;
  subtopology: SubtopologyPlan;
  /** Creates the byte stores under the sub-topology's store builders (memory or LevelDB). */
  storeFactory: ByteStoreFactory;
  collector: RecordCollector;
  /** Wall-clock time for `currentSystemTimeMs()` and wall-clock schedules; default `Date.now`. */
  clock: Clock;
  /** Store facades of global stores, readable by every processor. */
  globalStores?: ReadonlyMap<string, unknown>;
  /** 'fail' (default) throws STREAMS_SERDE_DECODE; 'continue' skips the record after `onDeadLetter`. */
  deserializationExceptionHandler?: 'fail' | 'continue';
  onDeadLetter?: DeadLetterHandler;
}

interface RuntimeNode {
  readonly name: string;
  readonly processor: Processor<unknown, unknown, unknown, unknown>;
  readonly context: NodeContext;
  readonly children: RuntimeNode[];
  readonly stores: readonly string[];
}

type TaskState = 'created' | 'stores-open' | 'running' | 'closed';

const passThrough = (context: () => NodeContext): Processor<unknown, unknown, unknown, unknown> => ({
  process: (record) => context().forward(record),
});

/**
 * Runs one sub-topology on one partition: deserializes input records, gives them a timestamp,
 * pushes them through the processor graph, fires punctuators, and owns the task's stores.
 * Everything is synchronous unless a processor returns a promise; then the method returns a
 * promise and the caller must await it before handing the task anything else.
 * Lifecycle: `initializeStores()` → `restore()`* → `initialize()` → `process()`/`punctuate()`* → `close()`.
 */
export class StreamTask {
  readonly id: TaskId;
  readonly applicationId: string;
  readonly subtopology: SubtopologyPlan;
  readonly #options: StreamTaskOptions;
  readonly #nodes = new Map<string, RuntimeNode>();
  readonly #sources = new Map<string, { def: SourceNodeDefinition; node: RuntimeNode }>();
  readonly #stores: Map<string, TaskStore>;
  readonly #partitionTimes = new Map<string, number>();
  readonly #streamTimeQueue = new PunctuationQueue();
  readonly #wallClockQueue = new PunctuationQueue();
  #pending: Promise<void>[] = [];
  #state: TaskState = 'created';
  #streamTime = -1;
  #contextTimestamp = -1;
  #metadata: RecordMetadata | null = null;

  constructor(options: StreamTaskOptions) {
    this.#options = options;
    this.id = options.taskId;
    this.applicationId = options.applicationId;
    this.subtopology = options.subtopology;
    this.#stores = buildTaskStores({
      stores: options.subtopology.stores,
      taskId: options.taskId,
      global: options.subtopology.global,
      factory: options.storeFactory,
      collector: options.collector,
      currentTimestamp: () => this.#contextTimestamp,
    });
    this.#buildNodes();
  }

  /** The run-time topics this task reads. */
  get sourceTopics(): readonly string[] {
    return this.subtopology.sourceTopics;
  }

  /** The highest timestamp processed so far, in ms; -1 before the first record. */
  get streamTimeMs(): number {
    return this.#streamTime;
  }

  /** @internal The task's stores by name (facade, byte store, changelog partition). */
  get stores(): ReadonlyMap<string, TaskStore> {
    return this.#stores;
  }

  /** The changelog partitions the engine must restore before `initialize()`. */
  changelogPartitions(): { storeName: string; topic: string; partition: number }[] {
    return [...this.#stores.values()].flatMap((s) => (s.changelog === null ? [] : [{ storeName: s.plan.name, ...s.changelog }]));
  }

  /** Opens every store of the task. */
  async initializeStores(): Promise<void> {
    if (this.#state !== 'created') return;
    await Promise.all([...this.#stores.values()].map((s) => s.built.inner.open()));
    this.#state = 'stores-open';
  }

  /** Writes changelog records straight into a store (no change logging, no processors). */
  restore(storeName: string, records: readonly LogRecord[]): void {
    if (this.#state !== 'stores-open' && this.#state !== 'running') this.#notRunning('restore');
    const store = this.#stores.get(storeName);
    if (store === undefined) throw new TypeError(`task ${formatTaskId(this.id)} has no store ${storeName}`);
    store.built.restore(records);
  }

  /** Opens the stores if needed, then calls `init` of every processor, parents first. */
  async initialize(): Promise<void> {
    if (this.#state === 'running') return;
    if (this.#state === 'closed') this.#notRunning('initialize');
    await this.initializeStores();
    for (const node of this.#nodes.values()) {
      this.#guard(node.name, () => node.processor.init?.(node.context));
    }
    this.#state = 'running';
  }

  /** Processes one input record of one of `sourceTopics`; returns a promise only if a processor did. */
  process(record: LogRecord): void | Promise<void> {
    if (this.#state !== 'running') this.#notRunning('process');
    const source = this.#sources.get(record.topic);
    if (source === undefined) throw new TypeError(`task ${formatTaskId(this.id)} does not read topic ${record.topic}`);
    let key: unknown;
    let value: unknown;
    try {
      key = record.key === null ? null : source.def.keySerde.deserialize(record.key, record.topic);
      value = record.value === null ? null : source.def.valueSerde.deserialize(record.value, record.topic);
    } catch (err) {
      return this.#onDecodeError(record, err);
    }
    const extractor = source.def.timestampExtractor ?? failOnInvalidTimestamp;
    const partitionTime = this.#partitionTimes.get(record.topic) ?? -1;
    const timestamp = extractor({ ...record, key, value }, partitionTime);
    if (!(timestamp >= 0)) return undefined; // Kafka drops records whose extracted timestamp is negative
    this.#partitionTimes.set(record.topic, Math.max(partitionTime, timestamp));
    this.#streamTime = Math.max(this.#streamTime, timestamp);
    this.#metadata = { topic: record.topic, partition: record.partition, offset: record.offset };
    this.#contextTimestamp = timestamp;
    this.#processNode(source.node, { key, value, timestamp, headers: record.headers });
    return this.#settle(() => this.#punctuate(this.#streamTimeQueue, this.#streamTime));
  }

  /** Fires the wall-clock punctuators due at `nowMs`. */
  punctuate(nowMs: number): void | Promise<void> {
    if (this.#state !== 'running') this.#notRunning('punctuate');
    this.#punctuate(this.#wallClockQueue, nowMs);
    return this.#settle(undefined);
  }

  /** Makes every store write its buffered changes to its backend. */
  async flush(): Promise<void> {
    await Promise.all([...this.#stores.values()].map((s) => s.built.inner.flush()));
  }

  /** Closes the processors (children last) and the stores, without flushing. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasRunning = this.#state === 'running';
    this.#state = 'closed';
    if (wasRunning) for (const node of this.#nodes.values()) this.#guard(node.name, () => node.processor.close?.());
    await Promise.all([...this.#stores.values()].map((s) => s.built.inner.close()));
  }

  #buildNodes(): void {
    const runtime = this.#runtime();
    const { subtopology, collector } = this.#options;
    for (const def of subtopology.nodes) {
      const context = new NodeContext(runtime, def.name);
      const processor =
        def.kind === 'source'
          ? passThrough(() => context)
          : def.kind === 'sink'
            ? new SinkProcessor(def, collector, subtopology.resolveTopic)
            : def.supplier.get();
      const stores = def.kind === 'processor' ? def.stores : [];
      const node: RuntimeNode = { name: def.name, processor, context, children: [], stores };
      this.#nodes.set(def.name, node);
      if (def.kind === 'source') for (const t of def.topics) this.#sources.set(subtopology.resolveTopic(t), { def, node });
      else for (const p of def.parents) this.#nodes.get(p)!.children.push(node);
    }
  }

  #runtime(): TaskRuntime {
    return {
      applicationId: this.applicationId,
      taskId: this.id,
      forward: (from, record, childName) => this.#forward(from, record, childName),
      getStateStore: (from, name) => this.#getStateStore(from, name),
      schedule: (from, intervalMs, type, punctuator) => this.#schedule(from, intervalMs, type, punctuator),
      recordMetadata: () => this.#metadata,
      currentStreamTimeMs: () => this.#streamTime,
      currentSystemTimeMs: () => this.#options.clock.now(),
    };
  }

  #forward(from: string, record: StreamRecord<unknown, unknown>, childName: string | undefined): void {
    const children = this.#nodes.get(from)!.children;
    if (childName === undefined) {
      for (const child of children) this.#processNode(child, record);
      return;
    }
    const child = children.find((c) => c.name === childName);
    if (child === undefined) throw new TypeError(`${from} has no child named ${childName}`);
    this.#processNode(child, record);
  }

  #processNode(node: RuntimeNode, record: StreamRecord<unknown, unknown>): void {
    const result = this.#guard(node.name, () => node.processor.process(record));
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      this.#pending.push((result as Promise<void>).catch((err: unknown) => {
        throw this.#wrap(node.name, err);
      }));
    }
  }

  #getStateStore(from: string, name: string): unknown {
    const node = this.#nodes.get(from)!;
    if (node.stores.includes(name)) return this.#stores.get(name)!.built.facade;
    const global = this.#options.globalStores?.get(name);
    if (global !== undefined) return global;
    throw new TypeError(`processor ${from} is not connected to a store named ${name}`);
  }

  #schedule(from: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new RangeError(`punctuation interval must be a positive integer of ms, got ${intervalMs}`);
    if (typeof punctuator !== 'function') throw new TypeError('punctuator must be a function');
    if (type !== 'stream-time' && type !== 'wall-clock') throw new TypeError(`unknown punctuation type ${String(type)}`);
    // Stream time: aligned to 0, fires with the first record; wall clock: first after one interval.
    const dueMs = type === 'stream-time' ? 0 : this.#options.clock.now() + intervalMs;
    const schedule = { nodeName: from, intervalMs, punctuator, dueMs, cancelled: false };
    (type === 'stream-time' ? this.#streamTimeQueue : this.#wallClockQueue).add(schedule);
    return { cancel: () => void (schedule.cancelled = true) };
  }

  #punctuate(queue: PunctuationQueue, nowMs: number): void {
    if (nowMs < 0) return;
    queue.mayPunctuate(nowMs, (schedule) => {
      this.#metadata = null;
      this.#contextTimestamp = nowMs;
      this.#guard(schedule.nodeName, () => schedule.punctuator(nowMs));
    });
  }

  /** Returns undefined when nothing went async; otherwise a promise for all of it, then `next`. */
  #settle(next: (() => void) | undefined): void | Promise<void> {
    if (this.#pending.length === 0) {
      next?.();
      if (this.#pending.length === 0) return undefined;
      return this.#drain(undefined);
    }
    return this.#drain(next);
  }

  async #drain(next: (() => void) | undefined): Promise<void> {
    while (this.#pending.length > 0) await Promise.all(this.#pending.splice(0));
    if (next === undefined) return;
    next();
    while (this.#pending.length > 0) await Promise.all(this.#pending.splice(0));
  }

  #guard<T>(nodeName: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw this.#wrap(nodeName, err);
    }
  }

  #wrap(nodeName: string, err: unknown): unknown {
    if (isStreamsError(err)) return err;
    const where = this.#metadata === null ? 'punctuation' : `${this.#metadata.topic}-${this.#metadata.partition}@${this.#metadata.offset}`;
    return new StreamsError(
      'STREAMS_PROCESSING_FAILED',
      `task ${formatTaskId(this.id)}, processor ${nodeName}, ${where}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }

  #onDecodeError(record: LogRecord, err: unknown): void {
    if (this.#options.deserializationExceptionHandler === 'continue') {
      this.#options.onDeadLetter?.(record, err);
      return;
    }
    throw new TopicError(
      'STREAMS_SERDE_DECODE',
      `task ${formatTaskId(this.id)} cannot deserialize ${record.topic}-${record.partition}@${record.offset}`,
      { topic: record.topic, partition: record.partition },
      { cause: err },
    );
  }

  #notRunning(what: string): never {
    throw new StreamsError('STREAMS_TASK_NOT_RUNNING', `task ${formatTaskId(this.id)} cannot ${what} while ${this.#state}`);
  }
}
