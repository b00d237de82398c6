import { expect } from 'chai';
import { StreamsApp } from '../../src/app/streams-app.js';
import { Topology } from '../../src/processor/topology.js';
import { tempDir } from '../helpers/temp-dir.js';
import { openEmbeddedLog, produce, str } from './app-helpers.js';

const RECORDS = 40;

/** Spins for `ms` of wall time: a processor that costs CPU, synchronously. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/**
 * Runs a topology whose processor spins 2 ms per record over one batch of RECORDS records, and
 * answers how many records had been processed when an immediate scheduled at the first record ran.
 */
async function processedBeforeImmediate(yieldAfterMs: number | undefined): Promise<number[]> {
  const log = await openEmbeddedLog();
  await log.createTopics([{ name: 'input' }]);
  await produce(log, 'input', Array.from({ length: RECORDS }, (_, i) => [`k${i}`, `v${i}`]));
  let processed = 0;
  const order: number[] = [];
  const topology = new Topology()
    .addSource({ name: 'source', topics: 'input', keySerde: str, valueSerde: str })
    .addProcessor('slow', () => ({
      process: () => {
        if (processed === 0) setImmediate(() => order.push(processed));
        spin(2);
        processed++;
      },
    }), 'source');
  const app = new StreamsApp(topology, { applicationId: 'slice-app', log, stateDir: tempDir('state'), maxBatchRecords: RECORDS, ...(yieldAfterMs === undefined ? {} : { yieldAfterMs }) });
  try {
    await app.start();
    await app.waitUntilCaughtUp();
    expect(processed).to.equal(RECORDS);
    return order;
  } finally {
    await app.close();
    await log.close();
  }
}

describe('App > StreamsApp > yieldAfterMs (time slice)', () => {
  it('gives the event loop back in the middle of a batch once the slice is used up, and still processes every record once', async () => {
    const [seenAt] = await processedBeforeImmediate(1);
    // The slice (1 ms) is used up by the first record (2 ms): the immediate runs right after it.
    expect(seenAt).to.be.greaterThan(0).and.lessThan(RECORDS);
  });

  it('processes a batch of synchronous processors without a break by default', async () => {
    const [seenAt] = await processedBeforeImmediate(undefined);
    expect(seenAt).to.equal(RECORDS);
  });

  it('refuses a negative slice', () => {
    expect(() => new StreamsApp(new Topology().addSource({ name: 's', topics: 'input', keySerde: str, valueSerde: str }), { applicationId: 'bad', log: {} as never, yieldAfterMs: -1 })).to.throw(RangeError, /yieldAfterMs/);
  });
});
