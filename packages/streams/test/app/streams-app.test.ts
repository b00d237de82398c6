import { expect } from 'chai';
import { StreamsApp } from '../../src/app/streams-app.js';
import type { StreamsError } from '../../src/errors.js';
import { Topology } from '../../src/processor/topology.js';
import { tempDir } from '../helpers/temp-dir.js';
import {
  countingTopology,
  int,
  latestCounts,
  modelCounts,
  openEmbeddedLog,
  produce,
  readTopic,
  str,
  until,
} from './app-helpers.js';

const words = (n: number, keys = 7): Array<[string, string]> => Array.from({ length: n }, (_, i) => [`k${(i * 31) % keys}`, `v${i}`]);

describe('App > StreamsApp', () => {
  it('processes input into output, with state, and answers interactive queries', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'input', partitions: 3 }, { name: 'output', partitions: 3 }]);
    const input = words(500);
    await produce(log, 'input', input);
    const app = new StreamsApp(countingTopology(), { applicationId: 'count-app', log, stateDir: tempDir('state') });
    await app.start();
    expect(app.state).to.equal('running');
    await app.waitUntilCaughtUp();
    await app.commit();
    const expected = modelCounts(input);
    expect(latestCounts(await readTopic(log, 'output'))).to.deep.equal(expected);
    const store = app.store<string, number>('counts');
    for (const [key, count] of expected) expect(store.get(key)).to.equal(count);
    const changelog = await log.describeTopic('count-app-counts-changelog');
    expect([changelog.partitions, changelog.config.cleanupPolicy]).to.deep.equal([3, 'compact']);
    await app.close();
    expect(app.state).to.equal('closed');
    await log.close();
  });

  for (const persistent of [true, false]) {
    it(`restores ${persistent ? 'LevelDB' : 'in-memory'} state after a restart and keeps counting from it`, async () => {
      const log = await openEmbeddedLog();
      const stateDir = tempDir('state');
      await log.createTopics([{ name: 'input', partitions: 2 }, { name: 'output', partitions: 2 }]);
      const first = words(300);
      await produce(log, 'input', first);
      let app = new StreamsApp(countingTopology({ persistent }), { applicationId: 'restart-app', log, stateDir });
      await app.start();
      await app.waitUntilCaughtUp();
      await app.close();
      const second = words(200, 11);
      await produce(log, 'input', second, 10_000);
      const progress: number[] = [];
      app = new StreamsApp(countingTopology({ persistent }), { applicationId: 'restart-app', log, stateDir });
      app.on('restore', (p) => p.done && progress.push(p.restored));
      await app.start();
      await app.waitUntilCaughtUp();
      await app.commit();
      expect(latestCounts(await readTopic(log, 'output'))).to.deep.equal(modelCounts([...first, ...second]));
      // A clean close leaves a checkpoint: LevelDB stores restore nothing, memory stores everything.
      const restored = progress.reduce((a, b) => a + b, 0);
      if (persistent) expect(restored).to.equal(0);
      else expect(restored).to.be.greaterThan(0);
      await app.close();
      await log.close();
    });
  }

  it('shares partitions between two instances and hands tasks over when one leaves', async function () {
    this.timeout(20_000);
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'input', partitions: 4 }, { name: 'output', partitions: 4 }]);
    const options = { applicationId: 'scale-app', log, commitIntervalMs: 50 };
    const one = new StreamsApp(countingTopology({ persistent: false }), { ...options, stateDir: tempDir('one') });
    const two = new StreamsApp(countingTopology({ persistent: false }), { ...options, stateDir: tempDir('two') });
    await one.start();
    await two.start();
    const input = words(400, 13);
    await produce(log, 'input', input.slice(0, 200));
    await until(async () => (await one.lag()).length > 0 && (await two.lag()).length > 0);
    await until(async () => one.processedRecords + two.processedRecords >= 200);
    expect(one.processedRecords).to.be.greaterThan(0);
    expect(two.processedRecords).to.be.greaterThan(0);
    await one.close();
    await produce(log, 'input', input.slice(200), 50_000);
    await until(async () => (await two.lag()).length === 4);
    await two.waitUntilCaughtUp();
    await two.commit();
    expect(latestCounts(await readTopic(log, 'output'))).to.deep.equal(modelCounts(input));
    await two.close();
    await log.close();
  });

  it('sends a record that fails processing to the dead-letter topic with the reason, and goes on', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'input' }, { name: 'output' }]);
    const topology = new Topology()
      .addSource({ name: 'source', topics: 'input', keySerde: str, valueSerde: str })
      .addProcessor<string, string, string, number>('parse', () => {
        let context!: import('../../src/processor/processor-context.js').ProcessorContext<string, number>;
        return {
          init: (c: typeof context) => void (context = c),
          process: (r) => {
            const n = Number(r.value);
            if (Number.isNaN(n)) throw new Error(`not a number: ${r.value}`);
            context.forward({ ...r, value: n });
          },
        };
      }, 'source')
      .addSink({ name: 'sink', topic: 'output', keySerde: str, valueSerde: int }, 'parse');
    await produce(log, 'input', [['a', '1'], ['b', 'oops'], ['c', '3']]);
    const app = new StreamsApp(topology, { applicationId: 'dlq-app', log, stateDir: tempDir('state'), processingExceptionHandler: 'continue' });
    await app.start();
    await app.waitUntilCaughtUp();
    await app.commit();
    expect((await readTopic(log, 'output')).map((r) => r.value!.readInt32BE())).to.deep.equal([1, 3]);
    const [dead] = await readTopic(log, 'dlq-app-dlq');
    expect(dead!.value!.toString()).to.equal('oops');
    expect(dead!.headers['parley.dlq.code']!.toString()).to.equal('STREAMS_PROCESSING_FAILED');
    expect(dead!.headers['parley.dlq.reason']!.toString()).to.contain('not a number');
    expect(dead!.headers['parley.dlq.offset']!.toString()).to.equal('1');
    await app.close();
    await log.close();
  });

  it("stops in state 'error' on a processing failure when the handler is 'fail', without committing past it", async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'input' }, { name: 'output' }]);
    const topology = new Topology()
      .addSource({ name: 'source', topics: 'input', keySerde: str, valueSerde: str })
      .addProcessor('boom', () => ({ process: (r) => { if (r.value === 'bad') throw new Error('boom'); } }), 'source');
    await produce(log, 'input', [['a', 'ok'], ['b', 'bad'], ['c', 'ok']]);
    const app = new StreamsApp(topology, { applicationId: 'fail-app', log, stateDir: tempDir('state') });
    const errors: unknown[] = [];
    app.on('error', (err) => errors.push(err));
    // The failure may come before or after start() resolves; either way the app ends in 'error'.
    const states: string[] = [];
    app.on('state', (next) => states.push(next));
    await app.start().catch(() => undefined);
    await until(() => errors.length > 0);
    expect(states).to.include('error');
    expect((errors[0] as StreamsError).code).to.equal('STREAMS_PROCESSING_FAILED');
    await app.close();
    const committed = await log.committedOffsets('fail-app', 'input');
    expect(committed.every((c) => c.offset <= 1)).to.equal(true);
    await log.close();
  });

  it('refuses to start when a store of the previous run disappeared, naming it', async () => {
    const log = await openEmbeddedLog();
    const stateDir = tempDir('state');
    await log.createTopics([{ name: 'input' }, { name: 'output' }]);
    const app = new StreamsApp(countingTopology({ storeName: 'counts' }), { applicationId: 'fp-app', log, stateDir });
    await app.start();
    await app.close();
    const renamed = new StreamsApp(countingTopology({ storeName: 'tallies' }), { applicationId: 'fp-app', log, stateDir });
    try {
      await renamed.start();
      expect.fail('started');
    } catch (err) {
      expect((err as StreamsError).code).to.equal('STREAMS_TOPOLOGY_INCOMPATIBLE');
      expect((err as Error).message).to.contain('counts');
    }
    await log.close();
  });

  it('refuses topics that must be co-partitioned but are not', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'left', partitions: 2 }, { name: 'right', partitions: 3 }, { name: 'output' }]);
    const topology = countingTopology({ input: 'left' });
    topology.addSource({ name: 'source-right', topics: 'right', keySerde: str, valueSerde: str });
    topology.addProcessor('count-right', () => ({ process: () => undefined }), 'source-right');
    topology.connectProcessorAndStateStores('count-right', 'counts');
    const app = new StreamsApp(topology, { applicationId: 'copart-app', log, stateDir: tempDir('state') });
    try {
      await app.start();
      expect.fail('started');
    } catch (err) {
      expect((err as StreamsError).code).to.equal('STREAMS_COPARTITION_MISMATCH');
    }
    await log.close();
  });

  it('reports a missing source topic with STREAMS_TOPIC_NOT_FOUND', async () => {
    const log = await openEmbeddedLog();
    const app = new StreamsApp(countingTopology(), { applicationId: 'missing-app', log, stateDir: tempDir('state') });
    try {
      await app.start();
      expect.fail('started');
    } catch (err) {
      expect((err as StreamsError).code).to.equal('STREAMS_TOPIC_NOT_FOUND');
    }
    await log.close();
  });

  it('starts a new application id from a timestamp and reports lag until caught up', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'input' }, { name: 'output' }]);
    await produce(log, 'input', words(10), 1000);
    await produce(log, 'input', words(5), 5000);
    const app = new StreamsApp(countingTopology({ persistent: false }), {
      applicationId: 'from-ts-app',
      log,
      stateDir: tempDir('state'),
      startFrom: { timestamp: 5000 },
    });
    await app.start();
    await app.waitUntilCaughtUp();
    expect(app.processedRecords).to.equal(5);
    const [lag] = await app.lag();
    expect(lag).to.include({ processedOffset: 15, endOffset: 15, lag: 0 });
    await app.close();
    await log.close();
  });

  it('fires wall-clock punctuators on its own', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'input' }]);
    let fired = 0;
    const topology = new Topology()
      .addSource({ name: 'source', topics: 'input', keySerde: str, valueSerde: str })
      .addProcessor('tick', () => ({
        init: (c) => void c.schedule(20, 'wall-clock', () => void fired++),
        process: () => undefined,
      }), 'source');
    await produce(log, 'input', [['a', '1']]);
    const app = new StreamsApp(topology, { applicationId: 'punct-app', log, stateDir: tempDir('state'), punctuationCheckMs: 5 });
    await app.start();
    await until(() => fired >= 3);
    await app.close();
    await log.close();
  });
});

describe('App > resetApplication', () => {
  it('removes internal topics, committed offsets and local state, so a rerun starts from scratch', async () => {
    const { resetApplication } = await import('../../src/app/reset-application.js');
    const log = await openEmbeddedLog();
    const stateDir = tempDir('state');
    await log.createTopics([{ name: 'input' }, { name: 'output' }]);
    const input = words(50);
    await produce(log, 'input', input);
    let app = new StreamsApp(countingTopology(), { applicationId: 'reset-app', log, stateDir });
    await app.start();
    await app.waitUntilCaughtUp();
    await app.close();
    const dry = await resetApplication({ log, applicationId: 'reset-app', stateDir, dryRun: true });
    expect(dry.deletedTopics.sort()).to.deep.equal(['reset-app-counts-changelog', 'reset-app-dlq']);
    expect(await log.listTopics()).to.include('reset-app-counts-changelog');
    await resetApplication({ log, applicationId: 'reset-app', stateDir });
    expect(await log.listTopics()).not.to.include('reset-app-counts-changelog');
    expect(await log.committedOffsets('reset-app')).to.deep.equal([]);
    // Running again recounts the whole input: the output now holds both runs, the state only the second.
    app = new StreamsApp(countingTopology(), { applicationId: 'reset-app', log, stateDir });
    await app.start();
    await app.waitUntilCaughtUp();
    expect(app.processedRecords).to.equal(50);
    for (const [key, count] of modelCounts(input)) expect(app.store<string, number>('counts').get(key)).to.equal(count);
    await app.close();
    await log.close();
  });
});
