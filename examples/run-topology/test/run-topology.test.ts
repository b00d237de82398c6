import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const MODULE = path.join(here, '..', 'src', 'greeting-counter.topology.ts');
// The `parley` binary from the CLI's sources, run as `npm start` runs it.
const BIN = path.join(path.dirname(require.resolve('@parley/cli/package.json')), 'src', 'bin.ts');
const TSX = pathToFileURL(require.resolve('tsx')).href;

interface Parley {
  out(): string;
  err(): string;
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

function parley(args: string[], cwd: string): Parley {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARLEY_')));
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { out: () => out, err: () => err, exited, kill: (s) => child.kill(s) };
}

async function run(args: string[], cwd: string): Promise<{ code: number | string; out: string; err: string }> {
  const p = parley(args, cwd);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

/** Polls `check` until it returns a value other than undefined (conditions, not sleeps, synchronise). */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const tmp: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-run-example-'));
  tmp.push(dir);
  return dir;
}
after(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Starts `parley run` and resolves once it serves. */
async function startRun(args: string[], cwd: string): Promise<Parley> {
  const p = parley(['run', ...args, '--port', '0'], cwd);
  let exit: number | string | undefined;
  void p.exited.then((code) => (exit = code));
  await until('parley run to serve', async () => {
    if (exit !== undefined) throw new Error(`parley run exited ${exit}:\n${p.out()}\n${p.err()}`);
    return /Ctrl\+C/.test(p.out()) ? true : undefined;
  });
  return p;
}

/** The greeting counter's status once it has processed `records` input records and has no lag. */
async function caughtUp(cwd: string, records: number): Promise<{ name: string; lag: number; processed_records: number }> {
  return until(`${records} greetings processed`, async () => {
    const status = await run(['status', '--json'], cwd);
    const app = (JSON.parse(status.out).data as Array<{ name: string; lag: number; processed_records: number }>).find((a) => a.name === 'greeting-counter');
    return app !== undefined && app.lag === 0 && app.processed_records >= records ? app : undefined;
  });
}

/** The latest count per sender, read back with `parley topics tail`. */
async function counts(cwd: string): Promise<Record<string, unknown>> {
  const tail = await run(['topics', 'tail', 'greeting-counts', '--json'], cwd);
  const latest: Record<string, unknown> = {};
  for (const line of tail.out.trimEnd().split('\n').filter(Boolean)) {
    const record = JSON.parse(line) as { key: { data: string }; value: { data: unknown } };
    latest[record.key.data] = record.value.data;
  }
  return latest;
}

describe('Examples > parley run', function () {
  this.timeout(120_000);

  it('runs the .ts topology module (--bare), reports it in status, and resumes its counts after a graceful stop', async () => {
    const cwd = tempDir();
    const first = await startRun([MODULE, '--bare'], cwd);
    expect(first.out()).to.include('topologies      greeting-counter\n');
    for (const who of ['ada', 'grace', 'ada']) expect((await run(['topics', 'produce', 'greetings', '--key', who, '--value', `hello from ${who}`], cwd)).code).to.equal(0);
    expect(await caughtUp(cwd, 3)).to.deep.include({ lag: 0, processed_records: 3 });
    expect(await counts(cwd)).to.deep.equal({ ada: 2, grace: 1 });
    first.kill('SIGTERM');
    expect(await first.exited).to.equal(0);

    // The count store is restored on the next start: ada's third greeting counts 3, not 1.
    const second = await startRun([MODULE, '--bare'], cwd);
    await run(['topics', 'produce', 'greetings', '--key', 'ada', '--value', 'hello again'], cwd);
    await caughtUp(cwd, 1);
    expect(await counts(cwd)).to.deep.equal({ ada: 3, grace: 1 });
    second.kill('SIGINT');
    expect(await second.exited).to.equal(0);
  });

  it('runs a plain .js module beside the platform', async () => {
    const cwd = tempDir();
    // A project of its own with Parley installed (linked to this repository's node_modules).
    fs.symlinkSync(path.join(here, '..', '..', '..', 'node_modules'), path.join(cwd, 'node_modules'));
    fs.writeFileSync(path.join(cwd, 'package.json'), '{ "type": "module" }\n');
    fs.writeFileSync(
      path.join(cwd, 'copy.js'),
      [
        "import { Serdes, Topology } from '@parley/streams';",
        'const str = Serdes.string();',
        "export const topology = { applicationId: 'my-copy', topics: [{ name: 'copy.in' }, { name: 'copy.out' }],",
        "  build: () => new Topology().addSource({ name: 's', topics: 'copy.in', keySerde: str, valueSerde: str }).addSink({ name: 'o', topic: 'copy.out', keySerde: str, valueSerde: str }, 's') };",
        '',
      ].join('\n'),
    );
    const p = await startRun(['copy.js'], cwd);
    const names = (JSON.parse((await run(['status', '--json'], cwd)).out).data as Array<{ name: string }>).map((a) => a.name);
    expect(names).to.include.members(['my-copy', 'communication']);
    await run(['topics', 'produce', 'copy.in', '--value', 'copied'], cwd);
    const copied = await until('the copy', async () => {
      const tail = await run(['topics', 'tail', 'copy.out', '--json'], cwd);
      return tail.out.length > 0 ? JSON.parse(tail.out.trimEnd()) : undefined;
    });
    expect(copied.value).to.deep.equal({ encoding: 'string', data: 'copied' });
    p.kill('SIGTERM');
    expect(await p.exited).to.equal(0);
  });

  it('refuses a module without a topology definition in one line, exit 2', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'empty.mjs'), 'export const nothing = 1;\n');
    const result = await run(['run', 'empty.mjs', '--port', '0'], cwd);
    expect([result.code, result.err.split('\n').length]).to.deep.equal([2, 2]);
    expect(result.err).to.match(/^CLI_MODULE_INVALID: .*empty\.mjs exports no topology/);
  });
});
