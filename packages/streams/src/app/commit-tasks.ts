import type { Log, LogConsumer } from '../log/types.js';
import { commitExactlyOnce } from './exactly-once.js';
import type { LogRecordCollector } from './log-record-collector.js';
import type { TaskManager } from './task-manager.js';

export interface CommitContext {
  guarantee: 'at_least_once' | 'exactly_once';
  log: Log;
  applicationId: string;
  tasks: TaskManager;
  /** The engine's shared collector (every task's at least once; global and stray records exactly once). */
  collector: LogRecordCollector;
  consumer: LogConsumer;
}

/**
 * One commit of every task this instance runs; resolves with the number of input offsets
 * committed. Stores are flushed first (a cached store sends its changelog records then).
 *
 * At least once: the changelog records, then the outputs, are appended, and only then are the
 * input offsets committed, so a crash at any point loses nothing (it may repeat). Exactly once:
 * each task's records and offsets go in one transaction (exactly-once.ts).
 */
export async function commitTasks(context: CommitContext): Promise<number> {
  const { tasks, collector } = context;
  for (const active of tasks.tasks) await active.task.flush();
  if (context.guarantee === 'exactly_once') {
    const committed = await commitExactlyOnce(context.log, context.applicationId, tasks.tasks);
    await collector.flush();
    return committed;
  }
  await collector.flush();
  const offsets = tasks.uncommittedOffsets();
  if (offsets.length > 0) {
    await context.consumer.commit(offsets);
    tasks.markCommitted(offsets);
  }
  return offsets.length;
}
