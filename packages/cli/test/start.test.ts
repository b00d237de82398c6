import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runParley, spawnParley, tempDir } from './helpers.js';

const URL_LINE = /running at (http:\/\/127\.0\.0\.1:\d+)/;
const TOKEN = /parley_st_[A-Za-z0-9_-]{43}/;

describe('Cli > start', function () {
  // Each case starts Node with the TypeScript loader: a second or two on a small machine.
  this.timeout(30_000);

  it('prints the URL and the new system token, serves /health, and exits cleanly on SIGTERM', async () => {
    const cwd = tempDir('start');
    const parley = spawnParley(['start', '--port', '0'], { cwd });
    const [, url] = await parley.waitFor(URL_LINE);
    await parley.waitFor(/Ctrl\+C/);
    const token = parley.stdout().match(TOKEN)?.[0];
    const health = await fetch(`${url}/health`);
    const config = await fetch(`${url}/client.config`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    parley.child.kill('SIGTERM');
    expect([health.status, config.status, await parley.exited]).to.deep.equal([200, 200, 0]);
    expect(fs.readFileSync(path.join(cwd, '.parley-data', 'auth', 'system-token'), 'utf8').trim()).to.equal(token);
    expect(parley.stdout()).to.match(/SIGTERM: stopping…\nstopped\n$/);
    expect(parley.stdout()).to.include(`curl ${url}/health`);
  });

  it('does not print the token again on the next start, and says where it is stored', async () => {
    const cwd = tempDir('start');
    const dataDir = path.join(cwd, 'data');
    const first = spawnParley(['start', '-p', '0', '--data-dir', 'data'], { cwd });
    await first.waitFor(/Ctrl\+C/);
    first.child.kill('SIGINT');
    expect(await first.exited).to.equal(0);
    const second = spawnParley(['start', '-p', '0', '-d', dataDir], { cwd });
    await second.waitFor(/Ctrl\+C/);
    second.child.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
    expect([TOKEN.test(first.stdout()), TOKEN.test(second.stdout())]).to.deep.equal([true, false]);
    expect(second.stdout()).to.include(`stored in ${path.join(dataDir, 'auth', 'system-token')}`);
  });

  it('reads the port and data directory from a configuration file', async () => {
    const cwd = tempDir('start');
    fs.writeFileSync(path.join(cwd, 'custom.yaml'), 'dataDir: from-file\nhttp:\n  port: 0\nauth:\n  enabled: false\n');
    const parley = spawnParley(['start', '--config', 'custom.yaml'], { cwd });
    const [, url] = await parley.waitFor(URL_LINE);
    const res = await fetch(`${url}/client.config`, { method: 'POST', body: '{}' });
    parley.child.kill('SIGTERM');
    expect([res.status, await parley.exited, fs.existsSync(path.join(cwd, 'from-file', 'log'))]).to.deep.equal([200, 0, true]);
    expect(parley.stdout()).to.include('auth            DISABLED');
  });

  it('prints one line and exits 2 for an invalid configuration', async () => {
    const cwd = tempDir('start');
    fs.writeFileSync(path.join(cwd, 'parley.yaml'), 'http:\n  port: -1\n');
    const result = await runParley(['start'], { cwd });
    expect([result.code, result.stderr.trim().split('\n').length]).to.deep.equal([2, 1]);
    expect(result.stderr).to.match(/^RUNTIME_CONFIG_INVALID: /);
  });

  it('exits 2 with usage help for a bad option value', async () => {
    const result = await runParley(['start', '--port', 'eighty'], { cwd: tempDir('start') });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('not a port number');
  });
});
