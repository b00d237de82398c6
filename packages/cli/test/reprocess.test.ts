import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runParley, spawnParley, tempDir, type ParleyProcess } from './helpers.js';

/** The reprocess story's router modules (the runtime's test fixtures), loaded by the binary from their paths. */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'runtime', 'test', 'reprocess', 'fixtures');
const BUGGY = path.join(FIXTURES, 'shop-router-buggy.ts');
const FIXED = path.join(FIXTURES, 'shop-router-fixed.ts');
const EVENTS = 300;
const CONTACTS = 30;

/** One-line known error: `CODE: message (HTTP n)`. */
function oneLineError(result: { stderr: string }, code: string): void {
  expect(result.stderr.split('\n'), result.stderr).to.have.length(2);
  expect(result.stderr).to.match(new RegExp(`^${code}: .+\\n$`));
}

describe('Cli > reprocess (the real binary against `parley run`)', function () {
  this.timeout(180_000);
  let cwd: string;
  let platform: ParleyProcess;
  const parley = (args: string[], input?: string) => runParley(args, { cwd, ...(input === undefined ? {} : { input }) });

  before(async () => {
    cwd = tempDir('reprocess');
    platform = spawnParley(['run', BUGGY, '--port', '0'], { cwd });
    const [, url] = await platform.waitFor(/running at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    await platform.waitFor(/Ctrl\+C/);
    const token = fs.readFileSync(path.join(cwd, '.parley-data', 'auth', 'system-token'), 'utf8').trim();
    const post = async (route: string, body: object) => (await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<any>;
    await post('sources.create', { id: 'shop' });
    const channel = await post('sources.channels.create', { source_id: 'shop', source_channel_id: 'web' });
    const lines = Array.from({ length: EVENTS }, (_, n) => {
      const i = n % CONTACTS;
      return JSON.stringify({ id: `e-${n}`, channel_id: channel.id, contact: `c-${i}`, sent_at: 1_700_000_000_000 + n, text: `hello ${n}`, sender: { name: `Name ${i}`, handle: i % 3 === 0 ? `Name ${i}` : `@u${i}` } });
    });
    const produced = await parley(['topics', 'produce', 'source.shop.events'], `${lines.join('\n')}\n`);
    expect(produced.code, produced.stderr).to.equal(0);
    // The live router has routed every event (the diff compares with what it wrote).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const apps = (await post('apps.status', { name: 'shop-router' })).data;
      if (apps[0].lag === 0 && apps[0].processed_records === EVENTS) break;
      if (Date.now() > deadline) throw new Error(`the live router did not route the events: ${JSON.stringify(apps)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    platform.child.kill('SIGTERM');
    await platform.exited;
  });

  it('answers RUNTIME_REPROCESS_NOT_FOUND in one line (exit 4) while none is in progress', async () => {
    for (const command of ['diff', 'promote', 'rollback', 'finalize', 'abort']) {
      const result = await parley(['reprocess', command]);
      expect([command, result.code]).to.deep.equal([command, 4]);
      oneLineError(result, 'RUNTIME_REPROCESS_NOT_FOUND');
    }
    const none = await parley(['reprocess', 'status']);
    expect([none.code, none.stdout]).to.deep.equal([0, 'no reprocess in progress\n']);
  });

  it('refuses bad arguments with exit 2, and an unloadable module with RUNTIME_REPROCESS_MODULE_INVALID', async () => {
    const missing = await parley(['reprocess', 'start']);
    expect(missing.code).to.equal(2);
    const latest = await parley(['reprocess', 'start', 'shop-router', '--from', 'latest']);
    expect(latest.code).to.equal(2);
    oneLineError(latest, 'CLI_USAGE');
    const module = await parley(['reprocess', 'start', 'shop-router', '--with', 'nowhere.ts']);
    expect(module.code).to.equal(4);
    oneLineError(module, 'RUNTIME_REPROCESS_MODULE_INVALID');
    const unknown = await parley(['reprocess', 'start', 'no-such-topology']);
    expect(unknown.code).to.equal(4);
    oneLineError(unknown, 'RUNTIME_TOPOLOGY_UNKNOWN');
  });

  it('starts the fix with progress lines, shows it in status, diffs, promotes and finalizes', async () => {
    const started = await parley(['reprocess', 'start', 'shop-router', '--with', FIXED]);
    expect(started.code, started.stderr).to.equal(0);
    const out = started.stdout.split('\n');
    expect(out[0]).to.equal('reprocessing shop-router as shop-router.shadow-1 (generation 1) from the earliest records; outputs go to shop-router.shadow-1.application.communication.messages, shop-router.shadow-1.application.communication.metadata');
    expect(out.filter((l) => l.startsWith('source.shop.events: ')).at(-1)).to.match(new RegExp(`^source\\.shop\\.events: ${EVENTS}/${EVENTS} records, (\\d+|\\?)/s, lag 0, ETA 0s$`));
    expect(out.at(-2)).to.match(/^caught up: compare with `parley reprocess diff`/);

    // A second start with another version conflicts; the same one resumes (here: answers at once).
    const other = await parley(['reprocess', 'start', 'shop-router']);
    expect(other.code).to.equal(4);
    oneLineError(other, 'RUNTIME_REPROCESS_CONFLICT');
    const again = await parley(['reprocess', 'start', 'shop-router', '--with', FIXED, '--json']);
    expect(again.code).to.equal(0);
    expect(JSON.parse(again.stdout)).to.include({ generation: 1, phase: 'running', caught_up: true, lag: 0 });

    const status = await parley(['status']);
    expect(status.stdout).to.include('shop-router.shadow-1');
    expect(status.stdout).to.include('reprocess in progress:\nshop-router: generation 1 running as shop-router.shadow-1 (running, caught up)');
    const statusJson = JSON.parse((await parley(['reprocess', 'status', '--json'])).stdout);
    expect(Object.keys(statusJson.data[0]).sort()).to.deep.equal(['application_id', 'caught_up', 'from', 'generation', 'inputs', 'lag', 'module', 'outputs', 'phase', 'previous_application_id', 'promoted_at', 'started_at', 'state', 'topology']);

    const touched = Array.from({ length: CONTACTS }, (_, i) => i).filter((i) => i % 3 !== 0).length;
    const diff = JSON.parse((await parley(['reprocess', 'diff', '--json', '--samples', '2'])).stdout);
    expect(diff.outputs.map((o: any) => [o.topic, o.added, o.removed, o.changed, o.unchanged, o.samples.length])).to.deep.equal([
      ['application.communication.messages', 0, 0, 0, EVENTS, 0],
      ['application.communication.metadata', 0, 0, touched, CONTACTS - touched, 2],
    ]);
    const text = await parley(['reprocess', 'diff', '--samples', '1']);
    expect(text.stdout.split('\n').slice(0, 4)).to.deep.equal([
      'shop-router generation 1',
      'OUTPUT                              ADDED  REMOVED  CHANGED  UNCHANGED  SHADOW RECORDS',
      `application.communication.messages  0      0        0        ${EVENTS}        ${EVENTS}`,
      `application.communication.metadata  0      0        ${touched}       ${CONTACTS - touched}         ${diff.outputs[1].shadow_records}`,
    ]);
    expect(text.stdout).to.match(/ {2}changed application\.communication\.metadata \S+\n {4}live: {3}\{.*"value":"@u\d+".*\}\n {4}shadow: \{.*"value":"Name \d+".*\}\n/);

    const promoted = await parley(['reprocess', 'promote', '--json']);
    expect(promoted.code, promoted.stderr).to.equal(0);
    expect(JSON.parse(promoted.stdout)).to.deep.include({ applied: { 'application.communication.metadata': touched }, settled: true });
    const abort = await parley(['reprocess', 'abort']);
    expect(abort.code).to.equal(4);
    oneLineError(abort, 'RUNTIME_REPROCESS_CONFLICT');

    const finalized = await parley(['reprocess', 'finalize']);
    expect([finalized.code, finalized.stdout]).to.deep.equal([0, 'finalized shop-router generation 1: removed shop-router and the shadow topics\n']);
    const apps = JSON.parse((await parley(['status', '--json'])).stdout);
    expect(apps.data.find((a: any) => a.name === 'shop-router')).to.include({ application_id: 'shop-router.shadow-1', role: 'live', state: 'running' });
    expect(apps.reprocess).to.deep.equal([]);
  });
});
