/**
 * Exactly-once commits: one log transaction per task and commit, EOS-v1 style (Kafka's
 * `exactly_once` before KIP-447).
 *
 * Why per task and not one per instance (Kafka's `exactly_once_v2`): kafkajs commits offsets in
 * a transaction without the consumer group generation (TxnOffsetCommit v0–v2), so a zombie can
 * only be fenced through its transactional id. The id is therefore the task's,
 * `<applicationId>-<taskId>`, the same on every instance and across restarts: whoever takes a task
 * over opens a new producer session for its id first, which fences the previous owner and aborts
 * whatever transaction it left open, and only then reads the committed offsets and restores the
 * changelogs. The cost is one transactional producer (its own connections) per task.
 */
import { isStreamsError, StreamsError } from '../errors.js';
import type { Log, TopicPartitionOffset } from '../log/types.js';
import { tpKey, uncommittedOffsetsOf, type ActiveTask } from './task-manager.js';

/** The transactional id of a task. */
export const transactionalIdOf = (applicationId: string, taskId: string): string => `${applicationId}-${taskId}`;

/** True when `log` can run exactly once. */
export const supportsExactlyOnce = (log: Log): boolean => log.supports.transactions && typeof log.transaction === 'function';

/**
 * Starts a new producer session for each task's transactional id: fences a previous owner still
 * running somewhere (a zombie) and aborts its open transaction, so the committed offsets and the
 * changelogs read afterwards are final.
 */
export async function fenceTasks(log: Log, applicationId: string, taskIds: readonly string[]): Promise<void> {
  await Promise.all(
    taskIds.map(async (taskId) => {
      const transaction = await log.transaction!({ transactionalId: transactionalIdOf(applicationId, taskId), fence: true });
      await transaction.abort(); // nothing was added: ends the empty transaction without a request
    }),
  );
}

/**
 * Commits every task that has work: its buffered records (changelogs, repartition topics,
 * outputs, dead letters) and its input offsets in one transaction. Tasks commit in parallel, each
 * on its own producer. A failed transaction is aborted and reported as retriable: nothing of it
 * became visible, and the engine rebuilds the task (fence, restore, reprocess from the committed
 * offsets) before trying again. Resolves with the number of input offsets committed.
 */
export async function commitExactlyOnce(log: Log, applicationId: string, tasks: readonly ActiveTask[]): Promise<number> {
  const results = await Promise.allSettled(tasks.map((active) => commitTask(log, applicationId, active)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
}

/** The application id is also the consumer group id. */
async function commitTask(log: Log, applicationId: string, active: ActiveTask): Promise<number> {
  const offsets: TopicPartitionOffset[] = uncommittedOffsetsOf(active);
  if (active.collector.pending === 0 && offsets.length === 0) return 0;
  let transaction;
  try {
    transaction = await log.transaction!({ transactionalId: transactionalIdOf(applicationId, active.id) });
    await active.collector.flush(transaction);
    if (offsets.length > 0) await transaction.sendOffsets(applicationId, offsets);
    await transaction.commit();
  } catch (err) {
    await transaction?.abort().catch(() => undefined);
    throw asRetriable(active.id, err);
  }
  for (const o of offsets) active.committed.set(tpKey(o), o.offset);
  return offsets.length;
}

/**
 * A refused record or a missing topic stays as it is (retrying cannot help); anything else from
 * the log (the broker gone, this producer fenced by a new owner) becomes retriable.
 */
function asRetriable(taskId: string, err: unknown): unknown {
  if (!isStreamsError(err) || err.retriable) return err;
  if (err.code !== 'STREAMS_KAFKA_ERROR' && err.code !== 'STREAMS_BROKER_UNAVAILABLE') return err;
  return new StreamsError(err.code, `task ${taskId}: the commit transaction failed and was aborted: ${err.message}`, { cause: err, retriable: true });
}
