import { expect } from 'chai';
import * as net from 'node:net';
import { StreamsApp } from '../../../src/app/streams-app.js';
import type { StreamsError } from '../../../src/errors.js';
import { KafkaLog } from '../../../src/log/kafka/kafka-log.js';
import { describeIfKafka } from '../../helpers/services.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../app-helpers.js';
import { sequencedCountTopology } from '../fixtures/sequenced-count-topology.js';
import { appendSequenced, changelogState, modelOf, sequencedOutputs, uniqueName, waitUntilCommitted } from './kafka-app-helpers.js';
import { OwnBroker } from './own-broker.js';

/** A port that accepts TCP connections and drops each at once, counting them. */
async function droppingServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, connections: () => connections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('App > Kafka > broker unreachable at start', () => {
  it('fails with a retriable STREAMS_BROKER_UNAVAILABLE after retrying with backoff, and leaves nothing running', async function () {
    this.timeout(20_000);
    const server = await droppingServer();
    const log = new KafkaLog({ brokers: [`127.0.0.1:${server.port}`], connectionTimeoutMs: 500, retry: { retries: 3, initialRetryTime: 100 } });
    const started = Date.now();
    try {
      await log.open();
      expect.fail('open() should have failed');
    } catch (err) {
      expect((err as StreamsError).code, String(err)).to.equal('STREAMS_BROKER_UNAVAILABLE');
      expect((err as StreamsError).retriable).to.equal(true);
    }
    // It tried more than once, and gave up in bounded time.
    expect(server.connections()).to.be.greaterThan(1);
    expect(Date.now() - started).to.be.below(15_000);
    // An application on the log that never opened refuses to start, with the log's code.
    const app = new StreamsApp(sequencedCountTopology({ input: 'in', output: 'out' }), { applicationId: uniqueName('unreachable'), log, stateDir: tempDir('unreachable') });
    try {
      await app.start();
      expect.fail('start() should have failed');
    } catch (err) {
      expect((err as StreamsError).code).to.equal('STREAMS_LOG_NOT_OPEN');
    }
    expect(app.state).to.equal('closed');
    await server.close();
  });
});

describeIfKafka('App > Kafka > broker restart', function () {
  this.timeout(120_000);
  const broker = new OwnBroker();
  let log: KafkaLog | undefined;
  let app: StreamsApp | undefined;

  before(async () => {
    await broker.start();
  });
  after(async () => {
    await app?.close().catch(() => undefined);
    await log?.close().catch(() => undefined);
    await broker.stop();
  });

  it('resumes after the broker is stopped and restarted mid-stream: no acknowledged input lost, state equal to the model, no duplicate output (exactly once)', async () => {
    const applicationId = uniqueName('restart');
    const input = `${applicationId}-in`;
    const output = `${applicationId}-out`;
    log = new KafkaLog({ brokers: broker.brokers, sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, consumerMaxWaitMs: 100 });
    await log.open();
    await log.createTopics([{ name: input, partitions: 2 }, { name: output, partitions: 2 }]);
    const appLog = new KafkaLog({ brokers: broker.brokers, sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, consumerMaxWaitMs: 100, retry: { retries: 3, initialRetryTime: 200 } });
    await appLog.open();
    app = new StreamsApp(sequencedCountTopology({ input, output }), {
      applicationId,
      log: appLog,
      stateDir: tempDir('restart-state'),
      processingGuarantee: 'exactly_once',
      retryBackoffMs: 200,
      taskTimeoutMs: 60_000,
    });
    const retries: unknown[] = [];
    app.on('retry', (err) => retries.push(err));
    await app.start();

    const acknowledged = await appendSequenced(log, input, 0, 1000, 20);
    await until(() => app!.processedRecords > 0, 20_000);
    await broker.stop({ keepData: true });
    await new Promise((r) => setTimeout(r, 1000));
    await broker.start();
    acknowledged.push(...(await appendSequenced(log, input, 1000, 1000, 20)));
    await waitUntilCommitted(log, applicationId, input, 60_000);
    await until(() => app!.state === 'running', 30_000);

    // The outage was noticed and retried, not ignored by luck.
    expect(retries.length).to.be.greaterThan(0);
    const model = modelOf(acknowledged);
    expect(Object.fromEntries(await changelogState(log, `${applicationId}-counts-changelog`))).to.deep.equal(Object.fromEntries(model.counts));
    expect(Object.fromEntries(await changelogState(log, `${applicationId}-latest-changelog`))).to.deep.equal(Object.fromEntries(model.latest));
    const seqs = [...(await sequencedOutputs(log, output)).values()].flat().map((o) => o.seq).sort((a, b) => a - b);
    expect(seqs).to.deep.equal(acknowledged.map(([, v]) => Number(v)).sort((a, b) => a - b));
    await app.close();
    await appLog.close();
  });
});
