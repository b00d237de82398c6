import type { Log, TopicPartition, TopicPartitionOffset } from '../log/types.js';
import type { Clock } from '../processor/clock.js';
import { StreamTask } from '../processor/internals/stream-task.js';
import type { SubtopologyPlan } from '../processor/internals/topology-plan.js';
import type { ByteStoreFactory } from '../state/builders/store-builder.js';
import type { RecordCollector } from '../processor/internals/record-collector.js';
import type { TopicLayout } from './internal-topics.js';
import type { Checkpoint, StateDirectory } from './state-directory.js';

const READ_BATCH = 5000;

/** How a start loaded the global stores. */
export interface GlobalStoresLoaded {
  /** True when the persistent stores resumed from their checkpoint (a clean stop before). */
  resumedFromCheckpoint: boolean;
  /** Records applied to reach the topics' ends. */
  records: number;
  durationMs: number;
}

/**
 * Global stores: every instance keeps a full copy of each global store's topic (all partitions).
 * `bootstrap()` reads the topics to their end before any stream task runs; `poll()` then applies
 * what was appended since. A store's topic is its changelog: in-memory global stores are rebuilt
 * from the beginning of their topics at every start. Persistent ones (LevelDB, under
 * `<appDir>/global/`) keep their state across a clean close, which writes a checkpoint of the
 * positions; the next start applies only what was appended since. Without a checkpoint (a crash,
 * a first start) or with one the topics no longer match (truncated, recreated), they are wiped
 * and rebuilt from the beginning, as tasks are.
 */
export class GlobalState {
  readonly #tasks: { task: StreamTask; persistent: boolean; positions: Map<string, { tp: TopicPartition; offset: number }> }[];
  readonly #log: Log;
  readonly #directory: StateDirectory;
  #bootstrapped = false;
  readonly facades = new Map<string, unknown>();

  constructor(options: { plans: readonly SubtopologyPlan[]; log: Log; layout: TopicLayout; applicationId: string; clock: Clock; storeFactory: ByteStoreFactory; collector: RecordCollector; directory: StateDirectory }) {
    this.#log = options.log;
    this.#directory = options.directory;
    this.#tasks = options.plans.map((subtopology) => {
      const task = new StreamTask({
        taskId: { subtopology: subtopology.id, partition: 0 },
        applicationId: options.applicationId,
        subtopology,
        storeFactory: options.storeFactory,
        collector: options.collector,
        clock: options.clock,
      });
      const positions = new Map<string, { tp: TopicPartition; offset: number }>();
      for (const topic of subtopology.sourceTopics) {
        const count = options.layout.partitionCounts.get(topic) ?? 0;
        for (let partition = 0; partition < count; partition++) positions.set(`${topic}/${partition}`, { tp: { topic, partition }, offset: 0 });
      }
      for (const [name, store] of task.stores) this.facades.set(name, store.built.facade);
      const persistent = subtopology.stores.length > 0 && subtopology.stores.every((store) => store.builder.persistent);
      return { task, persistent, positions };
    });
  }

  async bootstrap(): Promise<Omit<GlobalStoresLoaded, 'durationMs'>> {
    const starts = new Map<string, number>();
    for (const { positions } of this.#tasks) {
      for (const [key, { tp }] of positions) starts.set(key, await this.#log.beginningOffset(tp));
    }
    const resumeFrom = await this.#usableCheckpoint(this.#directory.takeGlobalCheckpoint(), starts);
    if (resumeFrom === undefined) this.#directory.wipeGlobal();
    for (const { task, persistent, positions } of this.#tasks) {
      await task.initialize();
      for (const [key, position] of positions) position.offset = (persistent ? resumeFrom?.[key] : undefined) ?? starts.get(key)!;
    }
    const records = await this.poll();
    this.#bootstrapped = true;
    return { resumedFromCheckpoint: resumeFrom !== undefined && this.#tasks.some((t) => t.persistent), records };
  }

  /**
   * The checkpoint, when every persistent store's partition has a position in it between the
   * partition's beginning and end offsets; otherwise undefined (the stores start over).
   */
  async #usableCheckpoint(checkpoint: Checkpoint | undefined, starts: ReadonlyMap<string, number>): Promise<Checkpoint | undefined> {
    if (checkpoint === undefined) return undefined;
    for (const { persistent, positions } of this.#tasks) {
      if (!persistent) continue;
      for (const [key, { tp }] of positions) {
        const offset = checkpoint[key];
        if (offset === undefined || offset < starts.get(key)! || offset > (await this.#log.endOffset(tp))) return undefined;
      }
    }
    return checkpoint;
  }

  /** Applies everything appended to the global topics since the last call; returns the record count. */
  async poll(): Promise<number> {
    let applied = 0;
    for (const { task, positions } of this.#tasks) {
      for (const position of positions.values()) {
        for (;;) {
          const records = await this.#log.read(position.tp, position.offset, { maxRecords: READ_BATCH });
          if (records.length === 0) break;
          for (const record of records) {
            const pending = task.process(record);
            if (pending) await pending;
          }
          applied += records.length;
          position.offset = records[records.length - 1]!.offset + 1;
        }
      }
    }
    return applied;
  }

  /** Where each global topic partition has been applied up to (the next offset to read). */
  positions(): TopicPartitionOffset[] {
    return this.#tasks.flatMap(({ positions }) => [...positions.values()].map(({ tp, offset }) => ({ ...tp, offset })));
  }

  /**
   * Closes every store. A clean close of bootstrapped stores first flushes the persistent ones
   * and checkpoints their positions.
   */
  async close(clean: boolean): Promise<void> {
    const checkpoint: Checkpoint = {};
    for (const { task, persistent, positions } of this.#tasks) {
      if (!persistent || !clean || !this.#bootstrapped) continue;
      await task.flush();
      for (const [key, { offset }] of positions) checkpoint[key] = offset;
    }
    if (Object.keys(checkpoint).length > 0) this.#directory.writeGlobalCheckpoint(checkpoint);
    for (const { task } of this.#tasks) await task.close();
  }
}
