import { expect } from 'chai';
import * as net from 'node:net';
import { customProvider } from '@parley/sources';
import { createRuntime, registerProvider, type Runtime, type RuntimeConfigInput } from '../../src/index.js';
import { tempDir } from '../helpers.js';

/**
 * Slow and oversized clients over raw sockets (issue 9, point 5), against started runtimes with
 * small limits: every case waits on a condition (an answer, the socket closing), never on a
 * sleep, and is bounded by the mocha timeout.
 */

/** A raw client connection: what the server sent so far, and whether it closed the socket. */
interface RawConnection {
  socket: net.Socket;
  received(): string;
  /** Resolves once the server has closed the connection (end or reset). */
  closed: Promise<void>;
  /** Resolves once `text` has arrived. */
  waitFor(text: string): Promise<string>;
}

async function connect(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let data = '';
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
    for (const listener of listeners) listener();
  });
  // A write into a socket the server reset is expected here: the error is the test's subject.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    received: () => data,
    closed,
    waitFor: (text) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (data.includes(text)) {
            listeners.delete(check);
            resolve(data);
          }
        };
        listeners.add(check);
        void closed.then(() => (data.includes(text) ? resolve(data) : reject(new Error(`closed before ${JSON.stringify(text)} arrived; got ${JSON.stringify(data)}`))));
        check();
      }),
  };
}

/** Status and JSON body of the first response in `raw`. */
function parseResponse(raw: string): { status: number; headers: string; json: any } {
  const [head = '', body = ''] = raw.split('\r\n\r\n', 2);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? body.length);
  return { status, headers: head.toLowerCase(), json: body.length === 0 ? undefined : JSON.parse(body.slice(0, length)) };
}

async function startWith(http: RuntimeConfigInput['http'], custom = false): Promise<Runtime> {
  const runtime = createRuntime({ dataDir: tempDir('slow-clients'), http: { port: 0, ...http }, ...(custom ? { sources: { custom: { partitions: 1 } } } : {}) }, { logging: { level: 'silent' } });
  if (custom) registerProvider(runtime, customProvider);
  // A provider webhook that takes a token of its own, checked before the body (the host's checkBeforeBody).
  runtime.registerWebhook({
    provider: 'probe',
    methods: ['POST'],
    checkBeforeBody: ({ headers }) =>
      headers.authorization === 'Bearer probe-token' ? undefined : { status: 401, body: { message: 'no probe token', code: 'SOURCES_TOKEN_MISSING' } },
    handle: () => ({ status: 200, body: {} }),
  });
  await runtime.start();
  return runtime;
}

const LIMIT = 64 * 1024;

describe('Http > slow and oversized clients', function () {
  this.timeout(10_000);
  let runtime: Runtime;
  before(async () => {
    runtime = await startWith({ bodyLimitBytes: LIMIT, headersTimeoutMs: 400, bodyTimeoutMs: 400, requestTimeoutMs: 5000, keepAliveTimeoutMs: 400 }, true);
  });
  after(() => runtime.stop());

  const postHead = (path: string, headers: Record<string, string | number>, token: string | null = runtime.systemToken!) =>
    [`POST ${path} HTTP/1.1`, 'Host: parley', ...(token === null ? [] : [`Authorization: Bearer ${token}`]), ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');

  it('refuses a declared 50 MiB body with 413 before reading any of it, and closes', async () => {
    const c = await connect(runtime.url);
    c.socket.write(postHead('/sources.create', { 'Content-Type': 'application/json', 'Content-Length': 50 * 1024 * 1024 }));
    const res = parseResponse(await c.waitFor('}'));
    expect([res.status, res.json.code]).to.deep.equal([413, 'RUNTIME_BODY_TOO_LARGE']);
    expect(res.headers).to.include('connection: close');
    await c.closed;
  });

  it('answers a streamed body 413 once it passes the limit, before the body ends, and closes', async () => {
    const c = await connect(runtime.url);
    c.socket.write(postHead('/sources.create', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }));
    // limit + 1 bytes in chunks, and the body never ends: only a limit enforced while streaming answers.
    const chunk = Buffer.alloc(LIMIT / 8 + 1, 0x20);
    for (let i = 0; i < 8; i += 1) c.socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`);
    const res = parseResponse(await c.waitFor('}'));
    expect([res.status, res.json.code]).to.deep.equal([413, 'RUNTIME_BODY_TOO_LARGE']);
    await c.closed;
  });

  it('answers a body that stops arriving 408 RUNTIME_REQUEST_TIMEOUT and closes', async () => {
    const c = await connect(runtime.url);
    c.socket.write(postHead('/sources.create', { 'Content-Type': 'application/json', 'Content-Length': 100 }));
    c.socket.write('{"id":');
    const res = parseResponse(await c.waitFor('}'));
    expect([res.status, res.json.code]).to.deep.equal([408, 'RUNTIME_REQUEST_TIMEOUT']);
    await c.closed;
  });

  it('closes a connection whose headers stop arriving', async () => {
    const c = await connect(runtime.url);
    c.socket.write('POST /sources.create HTTP/1.1\r\nHost: parley\r\n');
    await c.closed;
    // Node answers 408 itself, before its JSON handler sees a request.
    expect(c.received()).to.match(/^(HTTP\/1\.1 408 |$)/);
  });

  it('closes an idle keep-alive connection', async () => {
    const c = await connect(runtime.url);
    c.socket.write('GET /health HTTP/1.1\r\nHost: parley\r\nConnection: keep-alive\r\n\r\n');
    expect(parseResponse(await c.waitFor('}')).status).to.equal(200);
    await c.closed;
  });

  it("checks a provider webhook's own token before reading the body", async () => {
    const c = await connect(runtime.url);
    // Headers only: the body is never sent, so an answer proves it was not waited for.
    c.socket.write(postHead('/webhooks/probe', { 'Content-Type': 'application/json', 'Content-Length': 1000 }, null));
    const res = parseResponse(await c.waitFor('}'));
    expect([res.status, res.json.code]).to.deep.equal([401, 'SOURCES_TOKEN_MISSING']);
    await c.closed;
  });

  it('checks the source token of sources.webhook before reading the body', async () => {
    const c = await connect(runtime.url);
    c.socket.write(postHead('/sources.webhook', { 'Content-Type': 'application/json', 'Content-Length': 1000 }, null));
    const res = parseResponse(await c.waitFor('}'));
    expect([res.status, res.json.code]).to.deep.equal([401, 'SOURCES_TOKEN_MISSING']);
    await c.closed;
  });

  it('answers another method on a provider webhook 405 with Allow', async () => {
    const c = await connect(runtime.url);
    c.socket.write('GET /webhooks/probe HTTP/1.1\r\nHost: parley\r\n\r\n');
    const res = parseResponse(await c.waitFor('}'));
    expect([res.status, res.json.code]).to.deep.equal([405, 'RUNTIME_METHOD_NOT_ALLOWED']);
    expect(res.headers).to.include('allow: post');
  });

  it('checks the token of an RPC route before reading the body', async () => {
    const c = await connect(runtime.url);
    c.socket.write(postHead('/sources.create', { 'Content-Type': 'application/json', 'Content-Length': 1000 }, 'wrong-token'));
    const res = parseResponse(await c.waitFor('}'));
    expect([res.status, res.json.code]).to.deep.equal([403, 'RUNTIME_FORBIDDEN']);
    await c.closed;
  });
});

describe('Http > connection cap', function () {
  this.timeout(10_000);
  let runtime: Runtime;
  before(async () => {
    runtime = await startWith({ maxConnections: 3, headersTimeoutMs: 30_000, requestTimeoutMs: 30_000 });
  });
  after(() => runtime.stop());

  it('closes connections over http.maxConnections at once, and takes new ones when some close', async () => {
    const held = await Promise.all([0, 1, 2].map(() => connect(runtime.url)));
    // Each held connection is known to the server once it has answered a request on it.
    for (const c of held) {
      c.socket.write('GET /health HTTP/1.1\r\nHost: parley\r\n\r\n');
      await c.waitFor('}');
    }
    const refused = await connect(runtime.url);
    refused.socket.write('GET /health HTTP/1.1\r\nHost: parley\r\n\r\n');
    await refused.closed;
    expect(refused.received()).to.equal('');
    held[0]!.socket.destroy();
    await held[0]!.closed;
    // The server counts the closed one out when it sees the close: retry until it has.
    let answered = '';
    while (answered === '') {
      const next = await connect(runtime.url);
      next.socket.write('GET /health HTTP/1.1\r\nHost: parley\r\nConnection: close\r\n\r\n');
      await next.closed;
      answered = next.received();
    }
    expect(parseResponse(answered).status).to.equal(200);
    for (const c of held) c.socket.destroy();
  });
});
