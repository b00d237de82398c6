import type { LogRecord } from '../../log/types.js';
import type { BuiltStore, ByteStoreFactory } from '../../state/builders/store-builder.js';
import type { TaskId } from '../processor-context.js';
import type { RecordCollector } from './record-collector.js';
import type { StorePlan } from './topology-plan.js';

/** @internal A task's store with the changelog partition it writes to. */
export interface TaskStore {
  readonly plan: StorePlan;
  readonly built: BuiltStore<unknown>;
  /** The changelog partition (= the task's partition), or null when the store is not logged. */
  readonly changelog: { readonly topic: string; readonly partition: number } | null;
}

export interface BuildTaskStoresOptions {
  stores: readonly StorePlan[];
  taskId: TaskId;
  global: boolean;
  factory: ByteStoreFactory;
  collector: RecordCollector;
  currentTimestamp: () => number;
}

/** Builds one task's stores, wiring each logged store's changes to the task's collector. */
export function buildTaskStores(options: BuildTaskStoresOptions): Map<string, TaskStore> {
  const { taskId, collector } = options;
  const stores = new Map<string, TaskStore>();
  for (const plan of options.stores) {
    const topic = plan.changelogTopic;
    const changelog = topic === null
      ? null
      : {
          log: (key: Buffer, value: Buffer | null, timestamp: number) =>
            collector.send({ topic, partition: taskId.partition, key, value, headers: {}, timestamp }),
        };
    const built = plan.builder.build({
      factory: options.factory,
      taskId: options.global ? null : taskId,
      changelog,
      currentTimestamp: options.currentTimestamp,
    });
    stores.set(plan.name, { plan, built, changelog: topic === null ? null : { topic, partition: taskId.partition } });
  }
  return stores;
}

/** Restoration input: changelog records of one store, in offset order. */
export type RestoreBatch = readonly LogRecord[];
