import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamsApp, type GlobalStoresLoaded } from '../../src/app/streams-app.js';
import type { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { tempDir } from '../helpers/temp-dir.js';
import { globalNamesTopology, openEmbeddedLog, produce } from './app-helpers.js';

const APP = 'global-checkpoint';

const entries = (from: number, to: number): Array<[string, string]> => Array.from({ length: to - from }, (_, i) => [`k${from + i}`, `v${from + i}`]);

/**
 * Persistent global stores keep their state across a clean close: the next start applies only
 * what was appended since (a replica's start-up no longer grows with the topics' history).
 */
describe('App > StreamsApp > persistent global stores', () => {
  let log: EmbeddedLog;
  let stateDir: string;

  beforeEach(async () => {
    log = await openEmbeddedLog();
    await log.createTopics([{ name: 'names', partitions: 2 }]);
    stateDir = tempDir('global-state');
  });
  afterEach(async () => {
    await log.close();
  });

  async function run(persistent: boolean, body: (app: StreamsApp, applied: number, loaded: GlobalStoresLoaded) => Promise<void>): Promise<void> {
    const applied = { count: 0 };
    const app = new StreamsApp(globalNamesTopology({ persistent, onApplied: () => (applied.count += 1) }), { applicationId: APP, log, stateDir, globalPollMs: 3_600_000 });
    let loaded: GlobalStoresLoaded | undefined;
    app.on('globalStoresLoaded', (l) => (loaded = l));
    await app.start();
    try {
      expect(loaded?.records, 'the loaded event counts what the processors saw').to.equal(applied.count);
      await body(app, applied.count, loaded!);
    } finally {
      await app.close();
    }
  }

  async function contents(app: StreamsApp): Promise<Map<string, string>> {
    const all = new Map<string, string>();
    for await (const { key, value } of app.store<string, string>('names').all()) all.set(key, value);
    return all;
  }

  it('applies after a clean restart only the records appended since, and holds them all', async () => {
    await produce(log, 'names', entries(0, 100));
    await run(true, async (app, applied) => {
      expect(applied).to.equal(100);
      expect((await contents(app)).size).to.equal(100);
    });
    await produce(log, 'names', [...entries(100, 120), ['k0', 'changed']]);
    await log.append('names', [{ key: Buffer.from('k1'), value: null }]);
    await run(true, async (app, applied, loaded) => {
      expect(loaded.resumedFromCheckpoint).to.equal(true);
      expect(applied).to.equal(22);
      const held = await contents(app);
      expect(held.size).to.equal(119);
      expect(held.get('k0')).to.equal('changed');
      expect(held.has('k1')).to.equal(false);
      expect(held.get('k119')).to.equal('v119');
    });
  });

  it('rebuilds from the beginning after an unclean stop (no checkpoint)', async () => {
    await produce(log, 'names', entries(0, 50));
    await run(true, async () => undefined);
    // A crash leaves no checkpoint: the stores may be anywhere, so they start over.
    fs.rmSync(path.join(stateDir, APP, 'global', '.checkpoint'));
    await run(true, async (app, applied, loaded) => {
      expect(loaded.resumedFromCheckpoint).to.equal(false);
      expect(applied).to.equal(50);
      expect((await contents(app)).size).to.equal(50);
    });
  });

  it('wipes and rebuilds when the checkpoint is past the end of a recreated topic', async () => {
    await produce(log, 'names', entries(0, 50));
    await run(true, async () => undefined);
    await log.deleteTopics(['names']);
    await log.createTopics([{ name: 'names', partitions: 2 }]);
    await produce(log, 'names', [['fresh', 'one']]);
    await run(true, async (app, applied) => {
      expect(applied).to.equal(1);
      expect([...(await contents(app)).entries()]).to.deep.equal([['fresh', 'one']]);
    });
  });

  it('rebuilds in-memory global stores from the beginning at every start', async () => {
    await produce(log, 'names', entries(0, 30));
    await run(false, async () => undefined);
    await produce(log, 'names', entries(30, 40));
    await run(false, async (app, applied) => {
      expect(applied).to.equal(40);
      expect((await contents(app)).size).to.equal(40);
    });
    expect(fs.existsSync(path.join(stateDir, APP, 'global', '.checkpoint'))).to.equal(false);
  });
});
