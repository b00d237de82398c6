import { expect } from 'chai';
import { StreamsApp } from '../../src/app/streams-app.js';
import { StreamsError } from '../../src/errors.js';
import type { Log } from '../../src/log/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { openEmbeddedLog, produce, readTopic, until } from './app-helpers.js';
import { sequencedCountTopology } from './fixtures/sequenced-count-topology.js';

const topics = { input: 'input', output: 'output' };
const sequenced = (from: number, n: number): Array<[string, string]> => Array.from({ length: n }, (_, i) => [`k${((from + i) * 7) % 13}`, String(from + i)]);

/**
 * A log whose appends fail with `error` while `failing` is true: the engine's view of a broker
 * outage. Like a real client, a failing append takes a while (retries) before it gives up, so
 * other steps (timer commits) queue up behind it meanwhile.
 */
function faultyLog(inner: Log, error: () => Error): { log: Log; fail: (on: boolean) => void; failures: () => number } {
  let failing = false;
  let failures = 0;
  const log = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'append') {
        return (...args: Parameters<Log['append']>) => {
          if (!failing) return target.append(...args);
          failures++;
          return new Promise((_resolve, reject) => setTimeout(() => reject(error()), 30));
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { log, fail: (on) => void (failing = on), failures: () => failures };
}

const unavailable = () => new StreamsError('STREAMS_BROKER_UNAVAILABLE', 'injected outage', { retriable: true });

describe('App > StreamsApp > guarantees and recovery', () => {
  it('refuses exactly_once on a log without transactions with STREAMS_UNSUPPORTED', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'input' }, { name: 'output' }]);
    const app = new StreamsApp(sequencedCountTopology(topics), { applicationId: 'eos-app', log, stateDir: tempDir('eos'), processingGuarantee: 'exactly_once' });
    expect(app.processingGuarantee).to.equal('exactly_once');
    try {
      await app.start();
      expect.fail('start() should have failed');
    } catch (err) {
      expect((err as StreamsError).code).to.equal('STREAMS_UNSUPPORTED');
    }
    expect(app.state).to.equal('closed');
    await log.close();
  });

  it('rejects an unknown guarantee and out-of-range retry settings as misuse', async () => {
    const log = await openEmbeddedLog();
    const topology = sequencedCountTopology(topics);
    const base = { applicationId: 'bad', log };
    expect(() => new StreamsApp(topology, { ...base, processingGuarantee: 'exactly-once' as never })).to.throw(TypeError);
    expect(() => new StreamsApp(topology, { ...base, retryBackoffMs: 0 })).to.throw(RangeError);
    expect(() => new StreamsApp(topology, { ...base, taskTimeoutMs: -1 })).to.throw(RangeError);
    await log.close();
  });

  it('rides out retriable append failures mid-stream: retries with backoff, rebuilds its tasks, loses nothing', async function () {
    this.timeout(20_000);
    const inner = await openEmbeddedLog();
    await inner.createTopics([{ name: 'input', partitions: 2 }, { name: 'output', partitions: 2 }]);
    const faulty = faultyLog(inner, unavailable);
    const app = new StreamsApp(sequencedCountTopology(topics), {
      applicationId: 'outage-app',
      log: faulty.log,
      stateDir: tempDir('outage'),
      commitIntervalMs: 20,
      maxBatchRecords: 50,
      retryBackoffMs: 20,
    });
    const delays: number[] = [];
    app.on('retry', (err, delayMs) => {
      expect((err as StreamsError).code).to.equal('STREAMS_BROKER_UNAVAILABLE');
      delays.push(delayMs);
    });
    await app.start();
    const first = sequenced(0, 2000);
    await produce(inner, 'input', first);
    await until(() => app.processedRecords > 0);
    faulty.fail(true);
    await until(() => delays.length >= 3);
    faulty.fail(false);
    const second = sequenced(2000, 500);
    await produce(inner, 'input', second, 5000);
    await until(() => app.state === 'running');
    await app.waitUntilCaughtUp(10_000);
    await app.commit();

    expect(faulty.failures()).to.be.greaterThan(0);
    // Failures in a row back off: each wait is at least the one before.
    expect(delays.slice(0, 3)).to.deep.equal([...delays.slice(0, 3)].sort((a, b) => a - b));
    expect(delays[2]).to.be.greaterThan(delays[0]!);
    const input = [...first, ...second];
    const latest = app.store<string, number>('latest');
    const counts = app.store<string, number>('counts');
    const model = new Map<string, { count: number; latest: number }>();
    for (const [k, v] of input) model.set(k, { count: (model.get(k)?.count ?? 0) + 1, latest: Number(v) });
    for (const [key, expected] of model) {
      expect(latest.get(key), key).to.equal(expected.latest);
      expect(counts.get(key), key).to.be.at.least(expected.count);
    }
    const outputs = new Set((await readTopic(inner, 'output')).map((r) => r.value!.toString().split(':')[0]));
    expect(input.filter(([, v]) => !outputs.has(v))).to.deep.equal([]);
    await app.close();
    await inner.close();
  });

  it("goes to 'error' with the last failure once retriable failures outlast taskTimeoutMs", async function () {
    this.timeout(10_000);
    const inner = await openEmbeddedLog();
    await inner.createTopics([{ name: 'input' }, { name: 'output' }]);
    const faulty = faultyLog(inner, unavailable);
    const app = new StreamsApp(sequencedCountTopology(topics), { applicationId: 'gives-up', log: faulty.log, stateDir: tempDir('gives-up'), retryBackoffMs: 10, taskTimeoutMs: 300 });
    const errors: unknown[] = [];
    let retries = 0;
    app.on('error', (err) => errors.push(err));
    app.on('retry', () => retries++);
    await app.start();
    faulty.fail(true);
    await produce(inner, 'input', sequenced(0, 10));
    await until(() => app.state === 'error', 5000);
    expect(retries).to.be.greaterThan(1);
    expect(errors.map((e) => (e as StreamsError).code)).to.deep.equal(['STREAMS_BROKER_UNAVAILABLE']);
    await app.close();
    await inner.close();
  });

  it("goes to 'error' at once, without retrying, on a failure that is not retriable", async () => {
    const inner = await openEmbeddedLog();
    await inner.createTopics([{ name: 'input' }, { name: 'output' }]);
    const faulty = faultyLog(inner, () => new StreamsError('STREAMS_INVALID_RECORD', 'refused'));
    const app = new StreamsApp(sequencedCountTopology(topics), { applicationId: 'no-retry', log: faulty.log, stateDir: tempDir('no-retry') });
    let retries = 0;
    const errors: unknown[] = [];
    app.on('retry', () => retries++);
    app.on('error', (err) => errors.push(err));
    await app.start();
    faulty.fail(true);
    await produce(inner, 'input', sequenced(0, 10));
    await until(() => app.state === 'error', 5000);
    expect(retries).to.equal(0);
    expect(errors.map((e) => (e as StreamsError).code)).to.deep.equal(['STREAMS_INVALID_RECORD']);
    await app.close();
    await inner.close();
  });
});
