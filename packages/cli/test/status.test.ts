import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Serdes, Topology } from '@parley/streams';
import { createRuntime, type Runtime } from '@parley/runtime';
import { resolveTarget } from '../src/actions/status.js';
import { run } from '../src/index.js';
import { memoryIo, runParley, spawnParley, tempDir } from './helpers.js';

const str = Serdes.string();

describe('Cli > status', function () {
  this.timeout(30_000);

  it('asks a runtime started by `parley start` for its applications, finding URL and token in the data directory', async () => {
    const cwd = tempDir('status');
    const parley = spawnParley(['start', '--port', '0'], { cwd });
    try {
      const [, url] = await parley.waitFor(/running at (http:\/\/127\.0\.0\.1:\d+)/);
      await parley.waitFor(/Ctrl\+C/);
      const status = await runParley(['status'], { cwd });
      // `parley start` runs the platform: the communication read model, the Source API's router and connector, and the chat plugin's.
      expect(status.code).to.equal(0);
      const lines = status.stdout.trimEnd().split('\n');
      expect(lines[0]).to.equal(`runtime ${url}: ready, 5 streams applications`);
      expect(lines.slice(2).map((line) => line.split(/\s+/)[0]).sort()).to.deep.equal(['chatplugin-connector', 'chatplugin-router', 'communication', 'custom-connector', 'custom-router']);
      expect(lines.slice(2).every((line) => line.split(/\s+/)[1] === 'running')).to.equal(true);
    } finally {
      parley.child.kill('SIGTERM');
      expect(await parley.exited).to.equal(0);
    }
  });

  describe('against an in-process runtime', () => {
    let runtime: Runtime;
    let dataDir: string;
    before(async () => {
      dataDir = tempDir('status');
      runtime = createRuntime(
        { dataDir, http: { port: 0 } },
        {
          logging: { level: 'silent' },
          topologies: [
            {
              name: 'copy',
              applicationId: 'cli-test-copy',
              topics: [{ name: 'in' }, { name: 'out' }],
              build: () =>
                new Topology().addSource({ name: 's', topics: 'in', keySerde: str, valueSerde: str }).addSink({ name: 'o', topic: 'out', keySerde: str, valueSerde: str }, 's'),
            },
          ],
        },
      );
      await runtime.start();
    });
    after(() => runtime.stop());

    it('prints a table of the applications', async () => {
      const io = memoryIo(tempDir('cwd'));
      const code = await run(['node', 'parley', 'status', '--url', runtime.url, '--token', runtime.systemToken!], io);
      expect([code, io.out.split('\n')]).to.deep.equal([
        0,
        [`runtime ${runtime.url}: ready, 1 streams application`, 'NAME  STATE    LAG  PROCESSED  APPLICATION ID', 'copy  running  0    0          cli-test-copy', ''],
      ]);
    });

    it('prints the raw answer with --json', async () => {
      const io = memoryIo(tempDir('cwd'), { PARLEY_DATA_DIR: dataDir });
      expect(await run(['node', 'parley', 'status', '--json'], io)).to.equal(0);
      const answer = JSON.parse(io.out);
      expect(answer.data.map((a: { name: string; state: string }) => [a.name, a.state])).to.deep.equal([['copy', 'running']]);
      expect(answer.health).to.deep.equal({ status: 'ready', checks: { runtime: 'running', 'app:copy': 'running' } });
    });

    it('prints the runtime error as one line and exits 4 when the token is refused', async () => {
      const io = memoryIo(tempDir('cwd'), { PARLEY_URL: runtime.url, PARLEY_TOKEN: 'wrong' });
      expect([await run(['node', 'parley', 'status'], io), io.err]).to.deep.equal([4, 'RUNTIME_FORBIDDEN: the token is not valid (HTTP 403)\n']);
    });

    it('exits 4 with RUNTIME_UNAUTHORIZED when it has no token at all', async () => {
      const io = memoryIo(tempDir('cwd'), { PARLEY_URL: runtime.url });
      expect(await run(['node', 'parley', 'status'], io)).to.equal(4);
      expect(io.err).to.match(/^RUNTIME_UNAUTHORIZED: /);
    });
  });

  it('sends the system token found on disk only to a loopback URL', () => {
    const dataDir = tempDir('status');
    fs.mkdirSync(path.join(dataDir, 'auth'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'auth', 'system-token'), 'parley_st_local-only\n');
    const io = { cwd: '/', env: {} };
    const tokenFor = (url: string) => resolveTarget({ url, dataDir }, io).token;
    expect(['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:2', 'http://10.0.0.5:8080', 'https://parley.example.com'].map(tokenFor)).to.deep.equal([
      'parley_st_local-only',
      'parley_st_local-only',
      'parley_st_local-only',
      undefined,
      undefined,
    ]);
    expect(resolveTarget({ url: 'https://parley.example.com', token: 'given' }, io).token).to.equal('given');
    expect(resolveTarget({ dataDir }, { cwd: '/', env: { PARLEY_URL: 'https://x.example', PARLEY_TOKEN: 'env-token' } })).to.deep.equal({ url: 'https://x.example', token: 'env-token' });
  });

  it('prints CLI_RUNTIME_UNREACHABLE and exits 3 when nothing listens', async () => {
    const io = memoryIo(tempDir('cwd'));
    const code = await run(['node', 'parley', 'status', '--url', 'http://127.0.0.1:9', '--token', 'x'], io);
    expect([code, io.err.split('\n').length]).to.deep.equal([3, 2]);
    expect(io.err).to.match(/^CLI_RUNTIME_UNREACHABLE: /);
  });
});
