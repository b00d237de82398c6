import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killChild as kill, startChildPlatform, tempDir, type ChildPlatform } from '../helpers.js';
import { CONTACTS, contactHandle, contactName, createShopChannel, displayNames, post, produceShopEvents, touchedContacts, waitFor } from './story.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS = 2_000;
const GATED_MODULE = path.join(here, 'fixtures', 'shop-router-gated.ts');
const METADATA = 'application.communication.metadata';

const names = (name: (i: number) => string) => Object.fromEntries(Array.from({ length: CONTACTS }, (_, i) => [`c-${i}`, name(i)]));

describe('Runtime > reprocess: SIGKILL during promote and during rollback', function () {
  this.timeout(600_000);
  const dataDir = tempDir('reprocess-switch-crash');
  const gateDir = tempDir('reprocess-switch-gate');
  const holdBuild = path.join(gateDir, 'hold-build');
  const held = path.join(gateDir, 'build-held');
  let platform: ChildPlatform | undefined;
  let token: string;

  // The event gate of the fixed module stays shut: only the build gate (fixtures/build-gate.ts) is used here.
  const start = async (): Promise<string> => {
    platform = await startChildPlatform(path.join(here, 'fixtures/run-shop-platform.ts'), [dataDir], { ...process.env, REPROCESS_GATE_DIR: gateDir });
    token = fs.readFileSync(path.join(dataDir, 'auth', 'system-token'), 'utf8').trim();
    return platform.url;
  };

  /** Sends `route` with the build gate shut, kills the runtime once the switch is held at it, and starts it again. */
  const killDuring = async (url: string, route: string): Promise<string> => {
    fs.rmSync(held, { force: true });
    fs.writeFileSync(holdBuild, '');
    // The answer does not come: the process is held before it is sent.
    void post(url, route, token).catch(() => undefined);
    await waitFor(`${route} held at the build of the version it switches to`, async () => fs.existsSync(held), (reached) => reached);
    await kill(platform!.child);
    fs.rmSync(holdBuild);
    return start();
  };

  const storedMetadata = async (url: string): Promise<number> => (await post(url, 'topics.describe', token, { name: METADATA })).json.stored_records as number;

  after(async () => {
    if (platform !== undefined) await kill(platform.child);
  });

  it('finishes a promote killed after it wrote the live topics, writing nothing twice; a rollback killed part way is run again to the old answers', async () => {
    let url = await start();
    const channelId = await createShopChannel(url, token);
    await produceShopEvents(url, token, channelId, EVENTS);
    await waitFor('the live version ingested every conversation and name', () => displayNames(url, token), (found) => found.size === CONTACTS && [...found].every(([c, name]) => name === contactHandle(Number(c.slice(2)))));
    const started = await post(url, 'reprocess.start', token, { topology: 'shop-router', module: GATED_MODULE });
    expect(started.status, started.text).to.equal(200);
    await waitFor('the shadow caught up', () => post(url, 'reprocess.status', token), (r) => r.json.data[0]?.caught_up === true);
    const before = await storedMetadata(url);

    // Promote, killed after writing the differing keys and before recording that it is done.
    url = await killDuring(url, 'reprocess.promote');
    // The restart finished it: the shadow's version runs live, and each touched key was written once.
    expect((await post(url, 'reprocess.status', token)).json.data[0]).to.include({ phase: 'promoted', generation: 1 });
    expect((await post(url, 'apps.status', token, { name: 'shop-router' })).json.data[0]).to.include({ application_id: 'shop-router.shadow-1', role: 'live' });
    expect(await storedMetadata(url)).to.equal(before + touchedContacts().length);
    expect(Object.fromEntries(await waitFor('the fixed names', () => displayNames(url, token), (found) => found.get('c-1') === contactName(1)))).to.deep.equal(names(contactName));

    // Rollback, killed after writing the old values back: still promoted, and rolled back when asked again.
    url = await killDuring(url, 'reprocess.rollback');
    expect((await post(url, 'reprocess.status', token)).json.data[0]).to.include({ phase: 'promoted', generation: 1 });
    const rolledBack = await post(url, 'reprocess.rollback', token);
    expect(rolledBack.status, rolledBack.text).to.equal(200);
    expect(rolledBack.json).to.include({ topology: 'shop-router', generation: 1, settled: true });
    expect(Object.fromEntries(await displayNames(url, token))).to.deep.equal(names(contactHandle));
    expect((await post(url, 'apps.status', token, { name: 'shop-router' })).json.data[0]).to.include({ application_id: 'shop-router', role: 'live' });
    expect((await post(url, 'reprocess.status', token)).json.data).to.deep.equal([]);
  });
});
