import { expect } from 'chai';
import { StreamsApp } from '../../src/app/streams-app.js';
import type { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { tempDir } from '../helpers/temp-dir.js';
import { globalNamesTopology, openEmbeddedLog, produce } from './app-helpers.js';

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
    const app = new StreamsApp(globalNamesTopology(), { applicationId, log, stateDir: tempDir('state'), globalPollMs: 3_600_000 });
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
