import { expect } from 'chai';
import { RecoveryLoop, type RecoveryHooks } from '../../src/app/recovery-loop.js';
import { RetryBudget } from '../../src/app/retry-budget.js';
import { StreamsError } from '../../src/errors.js';
import { until } from './app-helpers.js';

const retriable = (what: string) => new StreamsError('STREAMS_BROKER_UNAVAILABLE', what, { retriable: true });

/** Hooks that record what the loop did; `rejoin` runs the given steps in turn. */
function recorder(rejoins: Array<(loop: RecoveryLoop) => void | Promise<void>>) {
  const calls: string[] = [];
  let stopped = false;
  let loop!: RecoveryLoop;
  const hooks: RecoveryHooks = {
    retrying: (err, delayMs) => void calls.push(`retry ${(err as Error).message} ${delayMs}`),
    teardown: async () => void calls.push('teardown'),
    rejoin: async () => {
      calls.push('rejoin');
      await rejoins.shift()?.(loop);
    },
    fail: (err) => void calls.push(`fail ${(err as Error).message}`),
    stopped: () => stopped,
  };
  return { calls, hooks, stop: () => (stopped = true), setLoop: (l: RecoveryLoop) => (loop = l) };
}

describe('App > RecoveryLoop', () => {
  it('tears down, waits, rejoins; a failure of the new member during the rejoin makes it go round again, waiting longer', async () => {
    const r = recorder([(loop) => loop.recover(retriable('member failed')), () => undefined]);
    const loop = new RecoveryLoop(new RetryBudget({ backoffMs: 5, timeoutMs: 10_000 }), r.hooks);
    r.setLoop(loop);
    loop.recover(retriable('outage'));
    expect(loop.active).to.equal(true);
    await until(() => !loop.active);
    expect(r.calls).to.deep.equal(['retry outage 5', 'teardown', 'rejoin', 'retry member failed 10', 'teardown', 'rejoin']);
  });

  it('retries a rejoin that fails retriably, and fails with a rejoin error that is not', async () => {
    const r = recorder([
      () => Promise.reject(retriable('still down')),
      () => Promise.reject(new StreamsError('STREAMS_TOPIC_NOT_FOUND', 'gone')),
    ]);
    const loop = new RecoveryLoop(new RetryBudget({ backoffMs: 1, timeoutMs: 10_000 }), r.hooks);
    loop.recover(retriable('outage'));
    await until(() => !loop.active);
    expect(r.calls).to.deep.equal(['retry outage 1', 'teardown', 'rejoin', 'retry still down 2', 'teardown', 'rejoin', 'fail gone']);
  });

  it('fails with the last error once the budget is spent', async () => {
    const r = recorder([]);
    const loop = new RecoveryLoop(new RetryBudget({ backoffMs: 1, timeoutMs: 0 }), r.hooks);
    loop.recover(retriable('outage'));
    await until(() => !loop.active);
    expect(r.calls).to.deep.equal(['fail outage']);
  });

  it('stops waiting and does not rejoin once the application is closing', async () => {
    const r = recorder([]);
    const loop = new RecoveryLoop(new RetryBudget({ backoffMs: 60_000, timeoutMs: 600_000 }), r.hooks);
    loop.recover(retriable('outage'));
    await until(() => r.calls.includes('teardown'));
    r.stop();
    await loop.settle();
    expect(loop.active).to.equal(false);
    expect(r.calls).to.deep.equal(['retry outage 60000', 'teardown']);
  });
});
