import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createRuntime, defineRoute, type UpgradeDefinition } from '../../src/index.js';
import { tempDir } from '../helpers.js';

/** Sends a raw upgrade request and resolves with everything the server wrote back. */
function rawUpgrade(url: string, pathname: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1', () =>
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve(text));
  });
}

describe('Chatplugin > Runtime hooks (upgrade, CORS, authenticate)', function () {
  this.timeout(20_000);

  it('serves an upgrade endpoint between start() and stop(), started after the topologies and stopped before the server', async () => {
    const events: string[] = [];
    const upgrade: UpgradeDefinition = {
      path: '/echo',
      start: ({ log }) => void events.push(`start:${typeof log.append}`),
      handle: (_request, socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi'),
      stop: () => void events.push('stop'),
    };
    const runtime = createRuntime({ dataDir: tempDir('hooks'), http: { port: 0 } }, { logging: { level: 'warn', write: () => undefined } });
    runtime.registerUpgrade(upgrade);
    expect(() => runtime.registerUpgrade(upgrade)).to.throw(TypeError);
    expect(() => runtime.registerUpgrade({ ...upgrade, path: 'no-slash' })).to.throw(TypeError);
    await runtime.start();
    expect(events).to.deep.equal(['start:function']);
    expect(await rawUpgrade(runtime.url, '/echo?x=1')).to.match(/^HTTP\/1\.1 200 OK[\s\S]*hi$/);
    expect(await rawUpgrade(runtime.url, '/other')).to.match(/^HTTP\/1\.1 404/);
    let code: string | undefined;
    try {
      runtime.registerUpgrade({ ...upgrade, path: '/late' });
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).to.equal('RUNTIME_STATE');
    await runtime.stop();
    expect(events).to.deep.equal(['start:function', 'stop']);
  });

  it('adds CORS to the paths of a policy only', async () => {
    const route = (name: string) =>
      defineRoute({ name, summary: 's', auth: false, request: z.object({}), response: z.strictObject({ ok: z.boolean() }), example: {}, handler: () => ({ ok: true }) });
    const runtime = createRuntime({ dataDir: tempDir('cors'), http: { port: 0 } }, { logging: { level: 'warn', write: () => undefined }, routes: [route('open.call'), route('closed.call')] });
    runtime.registerCors({ paths: ['/open.call'], origins: ['https://a.example', 'https://b.example'] });
    expect(() => runtime.registerCors({ paths: ['/x'], origins: [] })).to.throw(TypeError);
    await runtime.start();
    try {
      const call = (p: string, method: string, origin: string) =>
        fetch(`${runtime.url}${p}`, { method, headers: { origin, 'access-control-request-method': 'POST', 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      const preflight = await call('/open.call', 'OPTIONS', 'https://b.example');
      expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).to.deep.equal([204, 'https://b.example']);
      expect(preflight.headers.get('vary')).to.match(/origin/i);
      const post = await call('/open.call', 'POST', 'https://a.example');
      expect([post.status, post.headers.get('access-control-allow-origin')]).to.deep.equal([200, 'https://a.example']);
      expect((await call('/open.call', 'POST', 'https://c.example')).headers.get('access-control-allow-origin')).to.equal(null);
      const closed = await call('/closed.call', 'POST', 'https://a.example');
      expect([closed.status, closed.headers.get('access-control-allow-origin')]).to.deep.equal([200, null]);
    } finally {
      await runtime.stop();
    }
  });

  it("authenticates with the runtime's own auth once started", async () => {
    const runtime = createRuntime({ dataDir: tempDir('authn'), http: { port: 0 } }, { logging: { level: 'warn', write: () => undefined } });
    let code: string | undefined;
    try {
      await runtime.authenticate({ authorization: 'Bearer x' });
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).to.equal('RUNTIME_STATE');
    await runtime.start();
    try {
      expect(await runtime.authenticate({ authorization: `Bearer ${runtime.systemToken}` })).to.deep.equal({ kind: 'system', id: 'system' });
      const codes = await Promise.all(
        [{}, { authorization: 'Bearer nope' }].map((headers) => runtime.authenticate(headers).then(() => 'none', (err: { code: string }) => err.code)),
      );
      expect(codes).to.deep.equal(['RUNTIME_UNAUTHORIZED', 'RUNTIME_FORBIDDEN']);
    } finally {
      await runtime.stop();
    }
  });

  it('imports ws only under src/realtime/ (the chat plugin, in @parley/sources, has its own), and cors only under src/http/', () => {
    const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
    const importers = (module: string) =>
      (fs.readdirSync(src, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts') && new RegExp(`from\\s*['"]${module}['"]`).test(fs.readFileSync(path.join(src, f), 'utf8')))
        .map((f) => f.split(path.sep).join('/'));
    expect(importers('ws')).to.not.deep.equal([]);
    expect(importers('ws').filter((f) => !f.startsWith('realtime/'))).to.deep.equal([]);
    expect(importers('cors')).to.deep.equal(['http/create-http-app.ts']);
  });
});
