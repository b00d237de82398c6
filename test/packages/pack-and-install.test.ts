import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The packages as a user gets them (issue 10, item 7): `npm pack` every package a user installs,
 * `npm install` the tarballs into an empty project outside the repository, and use them there
 * through their published entry points only (`dist`, no `source` condition, no tsx), on the Node
 * this test runs on and on Node 24 (scripts/node.sh, from the npm registry). One build, one pack
 * and one install serve every case.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(root, 'test', 'packages', 'fixture');
/** Workspace folder → package name: every package a user installs. */
const PACKAGES: Record<string, string> = {
  'packages/streams': '@parley/streams',
  schemas: '@parley/schemas',
  'packages/communication': '@parley/communication',
  'packages/sources': '@parley/sources',
  'packages/ui': '@parley/ui',
  'packages/runtime': '@parley/runtime',
  'packages/cli': '@parley/cli',
};
const SENTENCES = ['All streams lead to Kafka', 'Hello Kafka Streams', 'the log is the database of the stream'];

interface PackedFile {
  path: string;
}
interface Packed {
  name: string;
  filename: string;
  files: PackedFile[];
}

const execFileAsync = promisify(execFile);

/**
 * The environment of a user's shell: nothing from the `npm test` / mocha process that runs this
 * (npm_* settings, NODE_OPTIONS, PARLEY_*), and `nodeBin`'s directory first on PATH.
 */
function userEnv(nodeBin: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|NODE_OPTIONS$|PARLEY_)/i.test(k)));
  return { ...env, PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env['PATH'] ?? ''}` };
}

/** Runs a command to completion; the error names the command and carries its output. */
async function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: err });
  }
}

/** The word counts the fixture must print, computed here independently of the library. */
function expectedCounts(sentences: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const word of sentences.flatMap((s) => s.toLowerCase().split(' '))) counts[word] = (counts[word] ?? 0) + 1;
  return counts;
}

/** Starts `npx parley <args>` (`start` or `run`) in its own process group; resolves with its URL once it printed it. */
function startParley(cwd: string, env: NodeJS.ProcessEnv, args: string[]) {
  const child = spawn('npx', ['--no-install', 'parley', ...args, '--port', '0'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  // 'close': every process holding the output pipes (npx, its shell, parley) has ended.
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`parley exited before it printed its URL:\n${out}\n${err}`)));
  });
  return {
    url,
    exited,
    output: () => `${out}\n${err}`,
    stdout: () => out,
    /** SIGTERM to npx and everything it started (npx → sh → node), as a terminal's Ctrl+C reaches them all. */
    stop: (signal: NodeJS.Signals = 'SIGTERM') => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    },
  };
}

/** SIGTERM, then waits for the process group to end; a group still up after 30 s is killed (and the caller's checks fail). */
async function stopParley(parley: ReturnType<typeof startParley>): Promise<void> {
  parley.stop();
  const killer = setTimeout(() => parley.stop('SIGKILL'), 30_000);
  await parley.exited;
  clearTimeout(killer);
}

/** Polls `check` until it returns a value other than undefined (conditions, not sleeps, synchronise). */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Packages > pack and install', function () {
  // Under `npm test` tsc -b has just run; the install takes its third-party packages from npm's cache.
  this.timeout(120_000);
  let work: string;
  let app: string;
  let packed: Packed[];
  const nodes: Array<{ label: string; bin: string; major: string }> = [];

  before(async function () {
    this.timeout(600_000);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-pack-'));
    const tarballs = path.join(work, 'tarballs');
    app = path.join(work, 'app');
    fs.mkdirSync(tarballs);
    fs.mkdirSync(app);
    // The tarballs hold dist: bring it up to date (a no-op right after `npm test`'s tsc -b).
    await run('npx', ['--no-install', 'tsc', '-b'], { cwd: root });
    const workspaces = Object.keys(PACKAGES).flatMap((folder) => ['--workspace', folder]);
    packed = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', tarballs, ...workspaces], { cwd: root })) as Packed[];
    fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'parley-user', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
    const files = packed.map((p) => path.join(tarballs, p.filename));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], { cwd: app, env: userEnv(process.execPath) });
    for (const file of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, file), path.join(app, file));
    const node24 = (await run('bash', ['scripts/node.sh', 'path', '24'], { cwd: root })).match(/^NODE=(.+)$/m)?.[1];
    if (node24 === undefined) throw new Error('scripts/node.sh printed no NODE=');
    nodes.push({ label: `Node ${process.version} (this process)`, bin: process.execPath, major: process.version.split('.')[0]! });
    nodes.push({ label: 'Node 24 (scripts/node.sh)', bin: node24, major: 'v24' });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('packs each package with its built entry points, declarations, bin and assets, and nothing private', () => {
    expect(packed.map((p) => p.name).sort()).to.deep.equal(Object.values(PACKAGES).sort());
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      const manifest = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', p.name, 'package.json'), 'utf8')) as {
        private?: boolean;
        exports: Record<string, string | Record<string, string>>;
      };
      expect(manifest.private, p.name).to.equal(undefined);
      for (const [entry, target] of Object.entries(manifest.exports)) {
        if (typeof target === 'string') continue;
        expect(files, `${p.name} ${entry}`).to.include.members([target['types']!.slice(2), target['default']!.slice(2)]);
      }
      expect(files.filter((f) => f.endsWith('.tsbuildinfo') || /(^|\/)test\//.test(f)), p.name).to.deep.equal([]);
    }
    const byName = new Map(packed.map((p) => [p.name, p.files.map((f) => f.path)]));
    expect(byName.get('@parley/cli')).to.include('dist/bin.js');
    const avsc = fs.readdirSync(path.join(root, 'schemas', 'avro')).filter((f) => f.endsWith('.avsc'));
    expect(avsc.length).to.be.greaterThan(0);
    expect(byName.get('@parley/schemas')).to.include.members(avsc.map((f) => `avro/${f}`));
    // The schemas' README: the .avsc files are importable through the package's exports.
    const resolved = createRequire(path.join(app, 'package.json')).resolve(`@parley/schemas/avro/${avsc[0]}`);
    expect(resolved).to.equal(path.join(app, 'node_modules', '@parley', 'schemas', 'avro', avsc[0]!));
  });

  it('typechecks a program against the installed declarations', async function () {
    // tsc over every installed declaration file: ~6 s idle, over a minute on a loaded 2-core machine.
    this.timeout(300_000);
    const tsconfig = {
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        // Check the installed declarations themselves too: each must resolve every type it names.
        skipLibCheck: false,
        // Installed with @parley/runtime's @types/express (its declarations name express's types).
        types: ['node'],
      },
      files: ['types.ts'],
    };
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app });
  });

  for (const index of [0, 1]) {
    describe(`on ${index === 0 ? 'the Node running the tests' : 'Node 24'}`, () => {
      it('runs a StreamsApp on the embedded log with only the installed @parley/streams', async () => {
        const node = nodes[index]!;
        const stdout = await run(node.bin, ['word-count.mjs', JSON.stringify(SENTENCES)], { cwd: app, env: userEnv(node.bin) });
        const result = JSON.parse(stdout.trim().split('\n').pop()!) as { node: string; counts: Record<string, number> };
        expect(result.node.split('.')[0], node.label).to.equal(node.major);
        expect(result.counts).to.deep.equal(expectedCounts(SENTENCES));
      });

      it('starts `npx parley start` on a free port; /health answers, SIGTERM stops it', async () => {
        const node = nodes[index]!;
        const env = userEnv(node.bin);
        // npx and the `parley` bin resolve `node` through PATH: check it is the one under test.
        expect((await run('npx', ['--no-install', '-c', 'node --version'], { cwd: app, env })).trim().split('.')[0]).to.equal(node.major);
        const parley = startParley(app, env, ['start', '--data-dir', path.join(work, `data-${index}`)]);
        try {
          const url = await parley.url;
          const health = await fetch(`${url}/health`);
          const body = (await health.json()) as { status?: string };
          expect([health.status, body.status], parley.output()).to.deep.equal([200, 'ok']);
        } finally {
          await stopParley(parley);
        }
        expect(parley.stdout(), parley.output()).to.match(/stopped\n$/);
      });

      it('runs a .ts topology module with `npx parley run --bare`: records produced with `parley topics produce` are counted', async () => {
        const node = nodes[index]!;
        const env = userEnv(node.bin);
        // A folder of its own under the project (its node_modules resolve from there): its own .parley-data.
        const cwd = path.join(app, `run-${index}`);
        fs.mkdirSync(cwd);
        fs.copyFileSync(path.join(FIXTURE, 'greeting-counter.topology.ts'), path.join(cwd, 'greeting-counter.topology.ts'));
        const parley = startParley(cwd, env, ['run', 'greeting-counter.topology.ts', '--bare']);
        try {
          await parley.url;
          const greetings = ['ada', 'grace', 'ada'];
          for (const who of greetings) await run('npx', ['--no-install', 'parley', 'topics', 'produce', 'greetings', '--key', who, '--value', `hello from ${who}`], { cwd, env });
          const expected: Record<string, number> = {};
          for (const who of greetings) expected[who] = (expected[who] ?? 0) + 1;
          const counts = await until('the greetings counted', async () => {
            const latest: Record<string, number> = {};
            const tail = await run('npx', ['--no-install', 'parley', 'topics', 'tail', 'greeting-counts', '--json'], { cwd, env });
            for (const line of tail.split('\n').filter(Boolean)) {
              const record = JSON.parse(line) as { key: { data: string }; value: { data: number } };
              latest[record.key.data] = record.value.data;
            }
            return Object.values(latest).reduce((a, b) => a + b, 0) >= greetings.length ? latest : undefined;
          });
          expect(counts, parley.output()).to.deep.equal(expected);
        } finally {
          await stopParley(parley);
        }
        expect(parley.stdout(), parley.output()).to.match(/stopped\n$/);
      });
    });
  }
});
