import type { Log, LogTransaction } from '@parley/streams';
import { withAppend } from '../pipeline-health.js';

/**
 * `log` with appends to the topics of `redirects` going to their mapped topic instead, in plain
 * appends and in transactions: what a shadow application runs on, so its sinks write shadow
 * output topics while it reads the live inputs. Reads are untouched.
 */
export function redirectAppends(log: Log, redirects: ReadonlyMap<string, string>): Log {
  const target = (topic: string): string => redirects.get(topic) ?? topic;
  const redirected = withAppend(log, (append) => (topic, records) => append(target(topic), records));
  if (log.transaction === undefined) return redirected;
  const transaction = async (...args: Parameters<NonNullable<Log['transaction']>>): Promise<LogTransaction> => {
    const tx = await log.transaction!(...args);
    return {
      append: (topic, records) => tx.append(target(topic), records),
      sendOffsets: (groupId, offsets) => tx.sendOffsets(groupId, offsets),
      commit: () => tx.commit(),
      abort: () => tx.abort(),
    };
  };
  return new Proxy(redirected, { get: (t, p) => (p === 'transaction' ? transaction : Reflect.get(t, p)) });
}
