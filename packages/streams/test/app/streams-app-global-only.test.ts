import { expect } from 'chai';
import { StreamsApp } from '../../src/app/streams-app.js';
import type { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { Topology } from '../../src/processor/topology.js';
import { keyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import type { TypedKeyValueStore } from '../../src/state/typed/typed-key-value-store.js';
import { tempDir } from '../helpers/temp-dir.js';
import { openEmbeddedLog, produce, str } from './app-helpers.js';

/** A topology of one global store filled from `names`, nothing else. */
function globalOnly(): Topology {
  return new Topology().addGlobalStore({
    storeBuilder: keyValueStoreBuilder({ name: 'names', keySerde: str, valueSerde: str, logging: false }),
    sourceName: 'names-src',
    topic: 'names',
    keySerde: str,
    valueSerde: str,
    processorName: 'names-writer',
    processorSupplier: () => {
      let store: TypedKeyValueStore<string, string>;
      return {
        init: (c) => void (store = c.getStateStore('names')),
        process: (r) => (r.value === null ? void store.delete(r.key) : store.put(r.key, r.value)),
      };
    },
  });
}

/**
 * An application of global stores only is a replica: each instance reads every partition of their
 * topics, joins no group, and can be brought up to the topics' end on demand (read-your-writes).
 */
describe('App > StreamsApp > global stores only', () => {
  let log: EmbeddedLog;
  const apps: StreamsApp[] = [];

  beforeEach(async () => {
    log = await openEmbeddedLog();
    await log.createTopics([{ name: 'names', partitions: 2 }]);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await log.close();
  });

  async function started(applicationId: string): Promise<StreamsApp> {
    // Polling turned down: only refreshGlobalStores() may apply what comes after the start.
    const app = new StreamsApp(globalOnly(), { applicationId, log, stateDir: tempDir('state'), globalPollMs: 3_600_000 });
    apps.push(app);
    await app.start();
    return app;
  }

  it('starts without a group, each instance holding every record, and applies new ones on refreshGlobalStores()', async () => {
    await produce(log, 'names', [['a', 'Ann'], ['b', 'Bob'], ['c', 'Cy']]);
    // Two instances with one application id: a group would split the partitions; these do not.
    const [one, two] = [await started('replica'), await started('replica')];
    for (const app of [one, two]) {
      expect(app.state).to.equal('running');
      expect(app.store<string, string>('names').get('b')).to.equal('Bob');
      expect(await app.store('names').approximateNumEntries()).to.equal(3);
    }
    expect(await log.committedOffsets('replica')).to.deep.equal([]);

    await produce(log, 'names', [['d', 'Dee']]);
    expect(one.store<string, string>('names').get('d')).to.equal(undefined);
    await one.refreshGlobalStores();
    expect(one.store<string, string>('names').get('d')).to.equal('Dee');
    const ends = await Promise.all([0, 1].map((partition) => log.endOffset({ topic: 'names', partition })));
    expect(one.globalPositions().sort((x, y) => x.partition - y.partition)).to.deep.equal([
      { topic: 'names', partition: 0, offset: ends[0] },
      { topic: 'names', partition: 1, offset: ends[1] },
    ]);
  });
});
