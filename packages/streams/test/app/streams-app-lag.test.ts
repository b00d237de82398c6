import { expect } from 'chai';
import { StreamsApp } from '../../src/app/streams-app.js';
import type { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { tempDir } from '../helpers/temp-dir.js';
import { countingTopology, openEmbeddedLog, produce, until } from './app-helpers.js';

/** A gate a patched log call waits at until `open()`; `reached` tells whether a call is waiting. */
class Gate {
  reached = false;
  #open!: () => void;
  readonly #opened = new Promise<void>((resolve) => (this.#open = resolve));

  async pass(): Promise<void> {
    this.reached = true;
    await this.#opened;
  }

  open(): void {
    this.#open();
  }
}

/**
 * `lag()` is what read-your-writes waits on (the runtime's waitForOffsets follows a write through
 * repartition topics with it): "caught up" must mean that what the processed records caused is
 * already in the log, or a reader of the next topic's end offset misses it.
 */
describe('App > StreamsApp > lag', () => {
  let log: EmbeddedLog;
  let app: StreamsApp;
  let gate: Gate;

  beforeEach(async () => {
    log = await openEmbeddedLog();
    await log.createTopics([{ name: 'input' }, { name: 'output' }]);
    app = new StreamsApp(countingTopology(), { applicationId: 'lag-app', log, stateDir: tempDir('state'), commitIntervalMs: 60_000 });
    await app.start();
    gate = new Gate();
  });
  afterEach(async () => {
    gate.open(); // a failed test must not leave the app waiting at it
    await app.close();
    await log.close();
  });

  it('counts a record as processed only once the records it produced are appended', async () => {
    const append = log.append.bind(log);
    log.append = async (topic, records) => {
      if (topic === 'output') await gate.pass();
      return append(topic, records);
    };
    await produce(log, 'input', [['k', 'v']]);
    await until(() => gate.reached);
    // The record went through the topology; its output is on its way to the log, not in it.
    expect((await app.lag())[0]).to.include({ topic: 'input', processedOffset: 0, endOffset: 1 });
    gate.open();
    await until(async () => (await app.lag())[0]!.processedOffset === 1);
    expect(await log.endOffset({ topic: 'output', partition: 0 })).to.equal(1);
  });

  it('takes the processed offsets when called, before it reads any end offset', async () => {
    const endOffset = log.endOffset.bind(log);
    log.endOffset = async (tp) => {
      await gate.pass();
      return endOffset(tp);
    };
    const lag = app.lag();
    await until(() => gate.reached);
    // Processed while lag() waits for the end offsets: not in its answer, which shows it behind.
    await produce(log, 'input', [['k', 'v']]);
    await until(async () => (await endOffset({ topic: 'output', partition: 0 })) === 1);
    await app.commit();
    gate.open();
    expect((await lag)[0]).to.include({ topic: 'input', processedOffset: 0, endOffset: 1, lag: 1 });
  });
});
