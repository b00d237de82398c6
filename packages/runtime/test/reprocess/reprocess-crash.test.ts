import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killChild as kill, startChildPlatform, tempDir, type ChildPlatform } from '../helpers.js';
import { CONTACTS, contactHandle, contactName, createShopChannel, displayNames, post, produceShopEvents, touchedContacts, waitFor } from './story.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS = 10_000;
/** The fixed router holds from this event on until the gate opens: the shadow is killed there. */
const GATE_AT = 6_000;
const GATED_MODULE = path.join(here, 'fixtures', 'shop-router-gated.ts');

function startPlatform(dataDir: string, gateDir: string): Promise<ChildPlatform> {
  return startChildPlatform(path.join(here, 'fixtures/run-shop-platform.ts'), [dataDir], { ...process.env, REPROCESS_GATE_DIR: gateDir, REPROCESS_GATE_AT: String(GATE_AT) });
}

describe('Runtime > reprocess: SIGKILL while the shadow catches up, and after promote', function () {
  this.timeout(600_000);

  it('resumes the shadow on restart (same generation), and its promote writes each touched key once', async () => {
    const dataDir = tempDir('reprocess-crash');
    const gateDir = tempDir('reprocess-gate');
    let { child, url } = await startPlatform(dataDir, gateDir);
    try {
      const token = fs.readFileSync(path.join(dataDir, 'auth', 'system-token'), 'utf8').trim();
      const channelId = await createShopChannel(url, token);
      await produceShopEvents(url, token, channelId, EVENTS);
      await waitFor('the live version ingested every conversation and name', () => displayNames(url, token), (names) => names.size === CONTACTS && [...names].every(([c, name]) => name === contactHandle(Number(c.slice(2)))));

      // The answer may not come: the gate can hold the process before it is sent.
      void post(url, 'reprocess.start', token, { topology: 'shop-router', module: GATED_MODULE }).catch(() => undefined);
      await waitFor('the shadow at the gate', async () => fs.existsSync(path.join(gateDir, 'reached')), (reached) => reached);
      await kill(child);
      fs.writeFileSync(path.join(gateDir, 'open'), '');

      ({ child, url } = await startPlatform(dataDir, gateDir));
      // The restarted runtime resumes the shadow by itself; `reprocess start` again answers the same generation.
      const resumed = await post(url, 'reprocess.start', token, { topology: 'shop-router', module: GATED_MODULE });
      expect(resumed.json).to.include({ generation: 1, application_id: 'shop-router.shadow-1', phase: 'running' });
      await waitFor('the resumed shadow caught up', () => post(url, 'reprocess.status', token), (r) => r.json.data[0]?.caught_up === true);

      const diff = await post(url, 'reprocess.diff', token, { samples: 0 });
      const counts = diff.json.outputs.map((o: { topic: string; added: number; removed: number; changed: number; unchanged: number }) => [o.topic, o.added, o.removed, o.changed, o.unchanged]);
      expect(counts).to.deep.equal([
        ['application.communication.messages', 0, 0, 0, EVENTS],
        ['application.communication.metadata', 0, 0, touchedContacts().length, CONTACTS - touchedContacts().length],
      ]);
      const promoted = await post(url, 'reprocess.promote', token);
      expect(promoted.json.applied).to.deep.equal({ 'application.communication.metadata': touchedContacts().length });
      expect(Object.fromEntries(await displayNames(url, token))).to.deep.equal(Object.fromEntries(Array.from({ length: CONTACTS }, (_, i) => [`c-${i}`, contactName(i)])));

      // Killed once promoted: the restarted runtime runs the promoted version and can still roll back.
      await kill(child);
      ({ child, url } = await startPlatform(dataDir, gateDir));
      const apps = await post(url, 'apps.status', token, { name: 'shop-router' });
      expect(apps.json.data[0]).to.include({ application_id: 'shop-router.shadow-1', role: 'live' });
      expect((await post(url, 'reprocess.status', token)).json.data[0]).to.include({ phase: 'promoted', generation: 1 });
      const rolledBack = await post(url, 'reprocess.rollback', token);
      expect(rolledBack.status, rolledBack.text).to.equal(200);
      expect(Object.fromEntries(await displayNames(url, token))).to.deep.equal(Object.fromEntries(Array.from({ length: CONTACTS }, (_, i) => [`c-${i}`, contactHandle(i)])));
    } finally {
      await kill(child);
    }
  });
});
