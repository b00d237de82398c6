import { EventEmitter } from 'node:events';
import { isStreamsError, StreamsError } from '../errors.js';
import type { LogConsumer, LogRecord, RecordBatch, TopicPartition, TopicPartitionOffset } from '../log/types.js';
import type { TopologyPlan } from '../processor/internals/topology-plan.js';
import type { ReadOnlyKeyValueStore } from '../state/typed/typed-key-value-store.js';
import type { Topology } from '../processor/topology.js';
import { sendToDeadLetterTopic } from './dead-letters.js';
import { engineStoreFactory } from './engine-store-factory.js';
import { commitTasks } from './commit-tasks.js';
import { fenceTasks, supportsExactlyOnce } from './exactly-once.js';
import { GlobalState, type GlobalStoresLoaded } from './global-state.js';
import { prepareTopics, type TopicLayout } from './internal-topics.js';
import { LogRecordCollector } from './log-record-collector.js';
import { combinedStoreView } from './combined-store-view.js';
import { SerialQueue } from './serial-queue.js';
import { StateDirectory } from './state-directory.js';
import { isRetriable, RecoveryLoop } from './recovery-loop.js';
import { RetryBudget } from './retry-budget.js';
import { resolveOptions, type ResolvedStreamsAppOptions, type StreamsAppOptions } from './streams-app-options.js';
import { TaskManager, tpKey, type ActiveTask, type PartitionLag, type RestoreProgress } from './task-manager.js';
import { checkAndPersistFingerprint } from './topology-fingerprint.js';

/** created → restoring ⇄ running → closed; any → error (then closed). */
export type StreamsAppState = 'created' | 'restoring' | 'running' | 'error' | 'closed';

export type { PartitionLag } from './task-manager.js';
export type { GlobalStoresLoaded } from './global-state.js';

export interface StreamsAppEvents {
  state: [next: StreamsAppState, previous: StreamsAppState];
  restore: [progress: RestoreProgress];
  /** A retriable failure: the tasks were closed and the group is rejoined after `delayMs`. */
  retry: [err: unknown, delayMs: number];
  error: [err: unknown];
  /** A commit that moved input offsets forward (`committed` of them), and how long it took. */
  commit: [durationMs: number, committed: number];
  /** The global stores are loaded (at start): from their checkpoint or from the beginning. */
  globalStoresLoaded: [loaded: GlobalStoresLoaded];
}

/**
 * Runs a Topology against a Log: one task per sub-topology and input partition, state stores
 * restored from their changelogs before processing, at-least-once commits (stores, then
 * changelogs, then outputs, then input offsets) or exactly-once ones (one transaction per task,
 * see exactly-once.ts). Several instances with one applicationId share the partitions through
 * the log's consumer group.
 *
 * Failures. A retriable one (the broker unreachable, a failed transaction) does not stop the
 * application: it leaves the group, closes its tasks without a checkpoint (so they are restored
 * from their changelogs, never trusting local state that may be ahead of them), waits, and
 * joins again; processing resumes from the committed offsets. Failures in a row back off
 * (`retryBackoffMs`, doubling) until `taskTimeoutMs`, then the application goes to 'error'. Any
 * other failure goes to 'error' at once.
 */
export class StreamsApp extends EventEmitter<StreamsAppEvents> {
  readonly applicationId: string;
  readonly #options: ResolvedStreamsAppOptions;
  readonly #topology: Topology;
  readonly #queue = new SerialQueue();
  #state: StreamsAppState = 'created';
  #plan: TopologyPlan | undefined;
  #layout: TopicLayout | undefined;
  #collector: LogRecordCollector | undefined;
  #tasks: TaskManager | undefined;
  #global: GlobalState | undefined;
  #consumer: LogConsumer | undefined;
  #timers: NodeJS.Timeout[] = [];
  #lastCommit = 0;
  #processed = 0;
  #paused = new Set<string>();
  /** While start() runs, failures are thrown to its caller instead of being reported. */
  #starting = false;
  #closing = false;
  readonly #retry: RetryBudget;
  readonly #recovery: RecoveryLoop;

  constructor(topology: Topology, options: StreamsAppOptions) {
    super();
    this.#options = resolveOptions(options);
    this.#topology = topology;
    this.applicationId = this.#options.applicationId;
    this.#retry = new RetryBudget({ backoffMs: this.#options.retryBackoffMs, timeoutMs: this.#options.taskTimeoutMs });
    this.#recovery = new RecoveryLoop(this.#retry, {
      retrying: (err, delayMs) => {
        this.#setState('restoring');
        this.emit('retry', err, delayMs);
      },
      teardown: () => this.#teardown(),
      rejoin: () => this.#joinGroup(),
      fail: (err) => this.#fail(err),
      stopped: () => this.#closing || this.#state === 'error' || this.#state === 'closed',
    });
  }

  /** The processing guarantee in force. */
  get processingGuarantee(): 'at_least_once' | 'exactly_once' {
    return this.#options.processingGuarantee;
  }

  get #exactlyOnce(): boolean {
    return this.#options.processingGuarantee === 'exactly_once';
  }

  get state(): StreamsAppState {
    return this.#state;
  }

  /** Input records processed since start. */
  get processedRecords(): number {
    return this.#processed;
  }

  /**
   * Prepares topics and state, joins the group and resolves once this instance has its first
   * assignment restored and is running. Throws (state 'error') when the topology cannot run.
   */
  async start(): Promise<void> {
    if (this.#state !== 'created') throw new StreamsError('STREAMS_APP_STATE', `cannot start an application that is ${this.#state}`);
    this.#setState('restoring');
    this.#starting = true;
    try {
      if (this.#exactlyOnce && !supportsExactlyOnce(this.#options.log)) {
        throw new StreamsError('STREAMS_UNSUPPORTED', `processingGuarantee 'exactly_once' needs a log with transactions (KafkaLog); this log has none`);
      }
      await this.#prepare();
      const running = new Promise<void>((resolve) => {
        const onState = (s: StreamsAppState) => {
          if (s === 'running' || s === 'error' || s === 'closed') {
            this.off('state', onState);
            resolve();
          }
        };
        this.on('state', onState);
      });
      await this.#joinGroup();
      this.#startTimers();
      await running;
      if (this.state === 'error') throw new StreamsError('STREAMS_APP_STATE', `${this.applicationId} failed while starting`);
    } catch (err) {
      if (this.state !== 'error') this.#fail(err);
      await this.close();
      throw err;
    } finally {
      this.#starting = false;
    }
  }

  /** Commits what was processed, closes the tasks (leaving checkpoints) and leaves the group. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#closing = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    await this.#recovery.settle();
    const clean = this.#state !== 'error';
    if (clean) await this.#consumer?.stop();
    else await this.#consumer?.stop().catch(() => undefined);
    await this.#queue.run(async () => {
      await this.#tasks?.closeAll(false);
      await this.#global?.close(clean);
    });
    this.#setState('closed');
  }

  /**
   * Read-only access to a local key-value store by name (interactive queries), across the tasks
   * this instance runs. Reads see what has been processed, flushed or not.
   */
  store<TKey, TValue>(name: string): ReadOnlyKeyValueStore<TKey, TValue> {
    if (this.#tasks === undefined) throw new StreamsError('STREAMS_APP_STATE', 'the application has not started');
    return combinedStoreView<TKey, TValue>(name, () => this.#tasks?.tasks ?? [], this.#global?.facades);
  }

  /**
   * Lag of every input partition this instance owns: end offset minus processed offset. At least
   * once, a record counts as processed once what it produced is appended; the processed offsets
   * are all taken at the call, before the end offsets are read (so all zero means caught up,
   * internal topics included).
   */
  async lag(): Promise<PartitionLag[]> {
    return (await this.#tasks?.lag()) ?? [];
  }

  /** Resolves once every owned input partition has been processed up to the end offsets seen now. */
  async waitUntilCaughtUp(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const targets = await this.lag();
    for (;;) {
      if (this.#state === 'error' || this.#state === 'closed') throw new StreamsError('STREAMS_APP_STATE', `the application is ${this.#state}`);
      const current = new Map((await this.lag()).map((l) => [tpKey(l), l.processedOffset]));
      if (targets.every((t) => (current.get(tpKey(t)) ?? 0) >= t.endOffset) && this.#state === 'running') return;
      if (Date.now() > deadline) throw new StreamsError('STREAMS_APP_STATE', `not caught up after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Where each global store's topic partitions have been applied up to (the next offset to read),
   * for read-your-writes over global stores: compare with the topics' end offsets.
   */
  globalPositions(): TopicPartitionOffset[] {
    return this.#global?.positions() ?? [];
  }

  /**
   * Applies to the global stores, now, everything appended to their topics so far (rather than at
   * the next `globalPollMs` tick); resolves once done. Does nothing unless running.
   */
  refreshGlobalStores(): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#state !== 'running' || this.#global === undefined) return;
      await this.#global.poll();
      await this.#collector!.flush();
    });
  }

  /** Commits now (flush stores, append buffered records, commit input offsets); does nothing unless running. */
  commit(): Promise<void> {
    return this.#queue.run(() => this.#commit());
  }

  async #prepare(): Promise<void> {
    const { log, stateDir, applicationId, clock } = this.#options;
    this.#plan = this.#topology.plan(applicationId);
    const stateDirectory = new StateDirectory(stateDir, applicationId);
    checkAndPersistFingerprint(stateDirectory, this.#plan, applicationId);
    this.#layout = await prepareTopics(log, this.#plan);
    await log.createTopics([{ name: this.#options.deadLetterTopic }], { ifNotExists: true });
    const changelogs = new Set(this.#plan.changelogTopics);
    this.#collector = new LogRecordCollector({ log, partitionCounts: this.#layout.partitionCounts, isChangelog: (t) => changelogs.has(t) });
    const needsLevelDb = [...this.#plan.subtopologies, ...this.#plan.globalStores].some((s) => s.stores.some((st) => st.builder.persistent));
    const storeFactory = await engineStoreFactory(needsLevelDb, this.#options.cacheMaxBytesPerStore, this.#options.leveldb);
    this.#global = new GlobalState({
      plans: this.#plan.globalStores,
      log,
      layout: this.#layout,
      applicationId,
      clock,
      storeFactory: storeFactory(stateDirectory.globalDir),
      collector: this.#collector,
      directory: stateDirectory,
    });
    const loadStartedAt = Date.now();
    const loaded = await this.#global.bootstrap();
    if (this.#plan.globalStores.length > 0) this.emit('globalStoresLoaded', { ...loaded, durationMs: Date.now() - loadStartedAt });
    const shared = this.#collector;
    const partitionCounts = this.#layout.partitionCounts;
    this.#tasks = new TaskManager({
      plan: this.#plan,
      layout: this.#layout,
      log,
      groupId: applicationId,
      stateDirectory,
      storeFactory,
      collectorFor: this.#exactlyOnce ? () => new LogRecordCollector({ log, partitionCounts, isChangelog: (t) => changelogs.has(t) }) : () => shared,
      ...(this.#exactlyOnce ? { beforeCreate: (ids: string[]) => fenceTasks(log, applicationId, ids) } : {}),
      clock,
      globalStores: this.#global.facades,
      deserializationExceptionHandler: this.#options.deserializationExceptionHandler,
      onDeadLetter: (record, reason) => this.#deadLetter(record, reason),
      onRestore: (progress) => this.emit('restore', progress),
      startOffset: (tp) => this.#startOffset(tp),
    });
  }

  /** Joins the group with a new member; resolves once it has its first assignment restored. */
  async #joinGroup(): Promise<void> {
    const { log, applicationId, startFrom, maxBatchRecords } = this.#options;
    // Global stores only: every instance reads every partition of their topics, without a group.
    if (this.#plan!.subtopologies.length === 0) return this.#setState('running');
    const consumer: LogConsumer = log.consumer({
      groupId: applicationId,
      topics: [...new Set(this.#plan!.subtopologies.flatMap((s) => s.sourceTopics))],
      autoOffsetReset: startFrom === 'latest' ? 'latest' : 'earliest',
      maxBatchRecords,
      // A member replaced by a recovery may still report; only the current one counts.
      onAssigned: (tps) => this.#queue.run(() => (consumer === this.#consumer ? this.#onAssigned(tps) : undefined)),
      onRevoked: () => this.#queue.run(() => (consumer === this.#consumer ? this.#onRevoked() : undefined)),
      onError: (err) => {
        if (consumer === this.#consumer) this.#onFailure(err);
      },
    });
    this.#consumer = consumer;
    await consumer.run((batch) => (consumer === this.#consumer ? this.#onBatch(batch) : undefined));
    // A member given no partitions gets no onAssigned: it is running all the same, idle.
    if (consumer === this.#consumer && consumer.assignment().length === 0 && this.#state === 'restoring') this.#setState('running');
  }

  async #startOffset(tp: TopicPartition): Promise<number> {
    const { log, startFrom } = this.#options;
    if (startFrom === 'latest') return log.endOffset(tp);
    if (startFrom === 'earliest') return log.beginningOffset(tp);
    return log.offsetForTimestamp(tp, startFrom.timestamp);
  }

  async #onAssigned(tps: TopicPartition[]): Promise<void> {
    if (this.#state === 'error' || this.#state === 'closed') return;
    this.#setState('restoring');
    await this.#tasks!.assign(tps);
    // A timestamp start position is not one the log can pick by itself: seek to it.
    for (const active of this.#tasks!.tasks) {
      for (const tp of active.inputs) this.#consumer!.seek(tp, active.processed.get(tpKey(tp))!);
    }
    this.#paused.clear();
    this.#setState('running');
  }

  async #onRevoked(): Promise<void> {
    // During a recovery the tasks are closed without a commit (see #teardown).
    if (this.#state === 'error' || this.#state === 'closed' || this.#recovery.active) return;
    // Only a running application's tasks are committed, so only they may leave a checkpoint.
    const clean = this.#state === 'running';
    if (clean) await this.#commit();
    await this.#tasks!.closeAll(clean);
  }

  #onBatch(batch: RecordBatch): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#state !== 'running') return;
      const active = this.#tasks!.taskFor(batch);
      if (active === undefined) return;
      active.group.add(batch);
      try {
        const done = await this.#drain(active);
        // Exactly once, outputs wait in the task's collector for its next transaction.
        if (!this.#exactlyOnce) await this.#collector!.flush();
        // Only now, with their outputs in the log, do the records count as processed for `lag()`:
        // a caller that sees a partition caught up then finds what it caused downstream in the
        // end offsets it reads next (read-your-writes across repartition topics relies on it).
        for (const [key, offset] of done) active.processed.set(key, offset);
        if (this.#options.clock.now() - this.#lastCommit >= this.#options.commitIntervalMs) await this.#commit();
      } catch (err) {
        this.#onFailure(err);
        return;
      }
      this.#applyBackPressure(active);
    });
  }

  /** Processes what the task's buffers hold; answers the offset after the last record processed, per partition. */
  async #drain(active: ActiveTask): Promise<Map<string, number>> {
    const { task, group } = active;
    const processed = new Map<string, number>();
    const skipFailures = this.#options.processingExceptionHandler === 'continue';
    const slice = this.#options.yieldAfterMs;
    let sliceStart = slice > 0 ? performance.now() : 0;
    let record: LogRecord | undefined;
    while ((record = group.next()) !== undefined) {
      if (slice > 0 && performance.now() - sliceStart >= slice) {
        // The time slice is used up: let timers and I/O (an HTTP server of the process) run.
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      try {
        const pending = task.process(record);
        if (pending !== undefined) await pending;
      } catch (err) {
        if (!skipFailures || isStreamsError(err, 'STREAMS_TASK_NOT_RUNNING')) throw err;
        this.#deadLetter(record, err);
      }
      processed.set(tpKey(record), record.offset + 1);
      this.#processed++;
    }
    return processed;
  }

  /** Pauses partitions whose buffer is full, resumes the ones that drained. */
  #applyBackPressure(active: ActiveTask): void {
    for (const tp of active.inputs) {
      const key = tpKey(tp);
      const full = active.group.buffered(tp) >= this.#options.maxBufferedPerPartition;
      if (full && !this.#paused.has(key)) {
        this.#paused.add(key);
        this.#consumer!.pause([tp]);
      } else if (!full && this.#paused.has(key)) {
        this.#paused.delete(key);
        this.#consumer!.resume([tp]);
      }
    }
  }

  async #commit(): Promise<void> {
    const tasks = this.#tasks;
    // Only a running application commits: after a failure (state 'error', or a recovery under
    // way) the records since the last commit may be lost, and their offsets must stay uncommitted.
    if (tasks === undefined || this.#state !== 'running' || this.#recovery.active) return;
    const { log, processingGuarantee: guarantee } = this.#options;
    const started = performance.now();
    const committed = await commitTasks({ guarantee, log, applicationId: this.applicationId, tasks, collector: this.#collector!, consumer: this.#consumer! });
    // Input moved forward durably: the failures before this one are over.
    if (committed > 0) {
      this.#retry.reset();
      this.emit('commit', performance.now() - started, committed);
    }
    this.#lastCommit = this.#options.clock.now();
  }

  /** Exactly once, a dead letter joins its task's transaction. */
  #deadLetter(record: LogRecord, reason: unknown): void {
    const collector = this.#tasks?.taskFor(record)?.collector ?? this.#collector!;
    sendToDeadLetterTopic(collector, this.#options.deadLetterTopic, record, reason);
  }

  #startTimers(): void {
    const { commitIntervalMs, punctuationCheckMs, globalPollMs } = this.#options;
    const every = (ms: number, step: () => Promise<void>) => {
      const runnable = () => this.#state === 'running' && !this.#recovery.active;
      const timer = setInterval(() => {
        // Checked again when the step's turn comes: a failure may have come in between.
        if (runnable()) void this.#queue.run(() => (runnable() ? step() : undefined)).catch((err: unknown) => this.#onFailure(err));
      }, Math.max(ms, 1));
      this.#timers.push(timer);
    };
    every(Math.max(commitIntervalMs, 10), () => this.#commit());
    every(punctuationCheckMs, async () => {
      const now = this.#options.clock.now();
      for (const active of this.#tasks!.tasks) {
        const pending = active.task.punctuate(now);
        if (pending !== undefined) await pending;
      }
      if (!this.#exactlyOnce) await this.#collector!.flush();
    });
    if (this.#plan!.globalStores.length > 0) {
      every(globalPollMs, async () => {
        await this.#global!.poll();
        await this.#collector!.flush();
      });
    }
  }

  /** Routes a failure: retriable ones start (or feed) a recovery, the rest fail the application. */
  #onFailure(err: unknown): void {
    if (this.#state === 'error' || this.#state === 'closed') return;
    if (this.#closing || !isRetriable(err)) return this.#fail(err);
    this.#recovery.recover(err);
  }

  /**
   * A recovery's first step: leave the group, close the tasks dirty (no checkpoint: they restore
   * from their changelogs) and drop unflushed records. The input since the last commit is then
   * processed again: at least once it may duplicate outputs, exactly once the aborted
   * transactions hid them.
   */
  async #teardown(): Promise<void> {
    const old = this.#consumer;
    this.#consumer = undefined;
    await old?.stop().catch(() => undefined);
    await this.#queue.run(async () => {
      await this.#tasks?.closeAll(false);
      this.#collector?.discard();
      this.#paused.clear();
    });
  }

  #fail(err: unknown): void {
    if (this.#state === 'error' || this.#state === 'closed') return;
    this.#collector?.discard();
    this.#setState('error');
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else if (!this.#starting) console.error(`[parley] streams application ${this.applicationId} failed:`, err);
    void this.#consumer?.stop().catch(() => undefined);
  }

  #setState(next: StreamsAppState): void {
    if (next === this.#state) return;
    const previous = this.#state;
    this.#state = next;
    this.emit('state', next, previous);
  }
}
