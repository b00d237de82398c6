import { expect } from 'chai';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawnParley, tempDir } from './helpers.js';

const URL_LINE = /running at (http:\/\/127\.0\.0\.1:(\d+))/;
const TOKEN = /parley_st_[A-Za-z0-9_-]{43}/;

/** A POST whose body is sent in two parts: the request stays in flight until `finish()`. */
function heldRequest(port: number, pathname: string, token: string): { finish(): void; answer: Promise<{ status: number; body: string }> } {
  const request = http.request({ host: '127.0.0.1', port, path: pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '2' } });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
  });
  request.flushHeaders();
  request.write('{');
  return { finish: () => request.end('}'), answer };
}

/** Resolves once `check` holds, polling; rejects after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new net.Socket();
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
    socket.connect(port, '127.0.0.1');
  });

describe('Cli > start > graceful drain on SIGTERM', function () {
  this.timeout(90_000);

  it('answers /ready 503 while draining, then stops accepting, finishes the request in flight and exits 0', async () => {
    const cwd = tempDir('drain');
    // A drain long enough to look at /ready during it; the grace longer than the test needs.
    fs.writeFileSync(path.join(cwd, 'parley.yaml'), 'http:\n  port: 0\n  drainDelayMs: 8000\n  shutdownGraceMs: 60000\n');
    const parley = spawnParley(['start'], { cwd });
    const [, url, port] = await parley.waitFor(URL_LINE);
    await parley.waitFor(/Ctrl\+C/);
    const token = parley.stdout().match(TOKEN)![0];
    expect((await fetch(`${url}/ready`)).status).to.equal(200);

    const held = heldRequest(Number(port), '/conversations.list', token);
    parley.child.kill('SIGTERM');
    let draining: Response | undefined;
    await until(async () => {
      draining = await fetch(`${url}/ready`);
      return draining.status === 503;
    }, 20_000, '/ready answers 503');
    const body = (await draining!.json()) as { code: string; message: string };
    expect(body.code).to.equal('RUNTIME_NOT_READY');
    expect(body.message).to.include('runtime is stopping');
    expect(draining!.headers.get('connection')).to.equal('close');

    // After the drain delay the listener closes; the request in flight is still answered.
    await until(() => refusesConnections(Number(port)), 30_000, 'the listener closes');
    expect(parley.child.exitCode).to.equal(null);
    held.finish();
    const answer = await held.answer;
    expect(answer.status, answer.body).to.equal(200);
    expect(JSON.parse(answer.body)).to.have.property('data');
    expect(await parley.exited).to.equal(0);
    expect(parley.stdout()).to.match(/SIGTERM: stopping…\nstopped\n$/);
  });
});
