import type { Log, LogRecord, TopicPartition, TopicPartitionOffset } from '../log/types.js';
import type { Clock } from '../processor/clock.js';
import { StreamTask, type DeadLetterHandler } from '../processor/internals/stream-task.js';
import type { TopologyPlan } from '../processor/internals/topology-plan.js';
import { formatTaskId, type TaskId } from '../processor/processor-context.js';
import type { ByteStoreFactory } from '../state/builders/store-builder.js';
import type { TopicLayout } from './internal-topics.js';
import type { LogRecordCollector } from './log-record-collector.js';
import { PartitionGroup } from './partition-group.js';
import type { StateDirectory } from './state-directory.js';

/** Progress of restoring one store of one task from its changelog. */
export interface RestoreProgress {
  taskId: string;
  store: string;
  changelog: TopicPartition;
  /** Records applied so far. */
  restored: number;
  /** Records to apply in all (end offset minus start offset; compaction gaps make it an upper bound). */
  total: number;
  done: boolean;
}

/** How far behind the end of one input partition this instance is. */
export interface PartitionLag extends TopicPartition {
  /** Offset after the last record processed (at least once: and whose outputs were appended). */
  processedOffset: number;
  endOffset: number;
  lag: number;
}

/** One running task with its input buffers and the offsets it has processed. */
export interface ActiveTask {
  /** `<subtopology>_<partition>`. */
  readonly id: string;
  readonly task: StreamTask;
  /** Where the task's sinks and changelogs send records (shared at least once, its own exactly once). */
  readonly collector: LogRecordCollector;
  readonly group: PartitionGroup;
  readonly inputs: readonly TopicPartition[];
  /** Offset after the last processed record, per input partition (`topic\0partition`). */
  readonly processed: Map<string, number>;
  /** What was last committed, per input partition. */
  readonly committed: Map<string, number>;
}

export interface TaskManagerOptions {
  plan: TopologyPlan;
  layout: TopicLayout;
  log: Log;
  groupId: string;
  stateDirectory: StateDirectory;
  /** Byte stores of one task; persistent stores live under `taskDir`. */
  storeFactory: (taskDir: string) => ByteStoreFactory;
  /** The collector of a new task: the engine's shared one at least once, a new one per task exactly once. */
  collectorFor: (taskId: string) => LogRecordCollector;
  /**
   * Runs before new tasks read committed offsets or restore (exactly once: fences the tasks'
   * transactional ids, which aborts what a previous owner left open). Default nothing.
   */
  beforeCreate?: (taskIds: string[]) => Promise<void>;
  clock: Clock;
  globalStores: ReadonlyMap<string, unknown>;
  deserializationExceptionHandler: 'fail' | 'continue';
  onDeadLetter: DeadLetterHandler;
  onRestore: (progress: RestoreProgress) => void;
  /** Where a partition with no committed offset starts. */
  startOffset: (tp: TopicPartition) => Promise<number>;
}

export const tpKey = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;
const RESTORE_BATCH = 10_000;

/** The input offsets a task processed since its last commit. */
export function uncommittedOffsetsOf(active: ActiveTask): TopicPartitionOffset[] {
  const out: TopicPartitionOffset[] = [];
  for (const tp of active.inputs) {
    const offset = active.processed.get(tpKey(tp));
    if (offset !== undefined && offset !== active.committed.get(tpKey(tp))) out.push({ ...tp, offset });
  }
  return out;
}

/** Creates, restores, finds and closes the tasks for the partitions this instance owns. */
export class TaskManager {
  readonly #options: TaskManagerOptions;
  readonly #subtopologyOf = new Map<string, number>();
  readonly #tasks = new Map<string, ActiveTask>();
  readonly #byInput = new Map<string, ActiveTask>();

  constructor(options: TaskManagerOptions) {
    this.#options = options;
    for (const s of options.plan.subtopologies) for (const t of s.sourceTopics) this.#subtopologyOf.set(t, s.id);
  }

  get tasks(): ActiveTask[] {
    return [...this.#tasks.values()];
  }

  taskFor(tp: TopicPartition): ActiveTask | undefined {
    return this.#byInput.get(tpKey(tp));
  }

  /** Creates the tasks of newly assigned partitions: stores opened and restored, processors initialised. */
  async assign(partitions: readonly TopicPartition[]): Promise<void> {
    const assigned = new Set(partitions.map(tpKey));
    const ids = new Map<string, TaskId>();
    for (const tp of partitions) {
      const subtopology = this.#subtopologyOf.get(tp.topic);
      if (subtopology !== undefined) ids.set(`${subtopology}_${tp.partition}`, { subtopology, partition: tp.partition });
    }
    const created = [...ids.keys()].filter((name) => !this.#tasks.has(name));
    if (created.length === 0) return;
    await this.#options.beforeCreate?.(created);
    const committed = new Map(
      (await this.#options.log.committedOffsets(this.#options.groupId)).map((o) => [tpKey(o), o.offset]),
    );
    for (const [name, id] of ids) {
      if (this.#tasks.has(name)) continue;
      const subtopology = this.#options.plan.subtopologies[id.subtopology]!;
      const inputs = subtopology.sourceTopics
        .filter((t) => (this.#options.layout.partitionCounts.get(t) ?? 0) > id.partition)
        .map((topic) => ({ topic, partition: id.partition }))
        .filter((tp) => assigned.has(tpKey(tp)));
      const active = await this.#createTask(id, inputs, committed);
      this.#tasks.set(name, active);
      for (const tp of inputs) this.#byInput.set(tpKey(tp), active);
    }
  }

  /**
   * Closes every task; with `clean`, after a final flush, and leaves a checkpoint for a fast
   * restart. A dirty close (after a failure) leaves no checkpoint, so the next owner wipes the
   * local state and restores it from the changelog; it goes on past errors and drops what the
   * tasks' own collectors still hold.
   */
  async closeAll(clean: boolean): Promise<void> {
    for (const [name, active] of this.#tasks) {
      const { task } = active;
      if (!clean) {
        active.collector.discard();
        await task.close().catch(() => undefined);
        this.#tasks.delete(name);
        continue;
      }
      await task.flush();
      await task.close();
      const checkpoint: Record<string, number> = {};
      for (const cl of task.changelogPartitions()) checkpoint[tpKey(cl)] = await this.#options.log.endOffset(cl);
      this.#options.stateDirectory.writeCheckpoint(task.id, checkpoint);
      this.#tasks.delete(name);
    }
    this.#byInput.clear();
  }

  /**
   * Lag of every input partition of the tasks: end offset minus processed offset. The processed
   * offsets are all taken at one instant, before any end offset is read: when every lag is 0,
   * everything in these partitions was processed at that instant, including what processing them
   * appended to one another (repartition topics), which no snapshot taken partition by partition
   * while batches run could promise.
   */
  async lag(): Promise<PartitionLag[]> {
    const rows = [...this.#tasks.values()].flatMap((active) => active.inputs.map((tp) => ({ tp, processedOffset: active.processed.get(tpKey(tp)) ?? 0 })));
    const ends = await Promise.all(rows.map(({ tp }) => this.#options.log.endOffset(tp)));
    return rows.map(({ tp, processedOffset }, i) => {
      const endOffset = ends[i]!;
      return { ...tp, processedOffset, endOffset, lag: Math.max(0, endOffset - processedOffset) };
    });
  }

  /** Offsets processed since the last commit, marked as committed by the caller once the commit succeeded. */
  uncommittedOffsets(): TopicPartitionOffset[] {
    return [...this.#tasks.values()].flatMap(uncommittedOffsetsOf);
  }

  markCommitted(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) this.#byInput.get(tpKey(o))?.committed.set(tpKey(o), o.offset);
  }

  async #createTask(id: TaskId, inputs: TopicPartition[], committed: Map<string, number>): Promise<ActiveTask> {
    const { stateDirectory, log } = this.#options;
    const checkpoint = stateDirectory.takeCheckpoint(id);
    if (checkpoint === undefined) stateDirectory.wipeTask(id);
    const collector = this.#options.collectorFor(formatTaskId(id));
    const task = new StreamTask({
      taskId: id,
      applicationId: this.#options.plan.applicationId,
      subtopology: this.#options.plan.subtopologies[id.subtopology]!,
      storeFactory: this.#options.storeFactory(stateDirectory.taskDir(id)),
      collector,
      clock: this.#options.clock,
      globalStores: this.#options.globalStores,
      deserializationExceptionHandler: this.#options.deserializationExceptionHandler,
      onDeadLetter: this.#options.onDeadLetter,
    });
    await task.initializeStores();
    for (const cl of task.changelogPartitions()) {
      // Only a persistent store still holds what it had at the checkpoint; memory starts empty.
      const persistent = task.stores.get(cl.storeName)!.plan.builder.persistent;
      await this.#restore(task, cl, persistent ? checkpoint?.[tpKey(cl)] : undefined);
    }
    await task.initialize();
    const positions = await Promise.all(
      inputs.map(async (tp) => ({
        tp,
        position: committed.get(tpKey(tp)) ?? (await this.#options.startOffset(tp)),
        highWatermark: await log.endOffset(tp),
      })),
    );
    const processed = new Map(positions.map((p) => [tpKey(p.tp), p.position]));
    return { id: formatTaskId(id), task, collector, group: new PartitionGroup(positions), inputs, processed, committed: new Map(processed) };
  }

  async #restore(task: StreamTask, changelog: { storeName: string; topic: string; partition: number }, from: number | undefined): Promise<void> {
    const { log } = this.#options;
    const tp = { topic: changelog.topic, partition: changelog.partition };
    const begin = await log.beginningOffset(tp);
    const end = await log.endOffset(tp);
    let offset = from !== undefined && from <= end ? Math.max(from, begin) : begin;
    const total = end - offset;
    let restored = 0;
    const report = (done: boolean) =>
      this.#options.onRestore({ taskId: `${task.id.subtopology}_${task.id.partition}`, store: changelog.storeName, changelog: tp, restored, total, done });
    report(false);
    while (offset < end) {
      const records: LogRecord[] = await log.read(tp, offset, { maxRecords: RESTORE_BATCH });
      if (records.length === 0) break;
      task.restore(changelog.storeName, records.filter((r) => r.offset < end));
      restored += records.length;
      offset = records[records.length - 1]!.offset + 1;
      report(false);
    }
    report(true);
  }
}
