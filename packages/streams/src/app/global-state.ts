import type { Log, TopicPartition, TopicPartitionOffset } from '../log/types.js';
import type { Clock } from '../processor/clock.js';
import { StreamTask } from '../processor/internals/stream-task.js';
import type { SubtopologyPlan } from '../processor/internals/topology-plan.js';
import type { ByteStoreFactory } from '../state/builders/store-builder.js';
import type { RecordCollector } from '../processor/internals/record-collector.js';
import type { TopicLayout } from './internal-topics.js';

const READ_BATCH = 5000;

/**
 * Global stores: every instance keeps a full copy of each global store's topic (all partitions).
 * `bootstrap()` reads the topics to their end before any stream task runs; `poll()` then applies
 * what was appended since. The store is rebuilt from its topic on every start (its topic is its
 * changelog), so global stores live in memory.
 */
export class GlobalState {
  readonly #tasks: { task: StreamTask; positions: Map<string, { tp: TopicPartition; offset: number }> }[];
  readonly #log: Log;
  readonly facades = new Map<string, unknown>();

  constructor(options: { plans: readonly SubtopologyPlan[]; log: Log; layout: TopicLayout; applicationId: string; clock: Clock; storeFactory: ByteStoreFactory; collector: RecordCollector }) {
    this.#log = options.log;
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
      return { task, positions };
    });
  }

  async bootstrap(): Promise<void> {
    for (const { task, positions } of this.#tasks) {
      await task.initialize();
      for (const position of positions.values()) position.offset = await this.#log.beginningOffset(position.tp);
    }
    await this.poll();
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

  async close(): Promise<void> {
    for (const { task } of this.#tasks) await task.close();
  }
}
