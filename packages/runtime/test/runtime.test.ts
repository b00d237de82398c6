import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { z } from 'zod';
import { createRuntime, defineRoute, RuntimeError, signJwt, type Runtime } from '../src/index.js';
import { copyTopology, eventually, produce, readValues, startRuntime, tempDir } from './helpers.js';

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('Runtime > restart', () => {
  it('resumes from disk: same token, topics still there, processing continues where it stopped', async () => {
    const dataDir = tempDir('restart');
    const first = await startRuntime({ dataDir }, { topologies: [copyTopology('copy')] });
    await produce(first.runtime.log, 'copy.input', ['a', 'b', 'c']);
    await eventually(async () => (await readValues(first.runtime.log, 'copy.output')).length === 3);
    const token = first.token;
    await first.stop();
    expect(fs.existsSync(`${dataDir}/runtime.json`)).to.equal(false);

    const second = await startRuntime({ dataDir }, { topologies: [copyTopology('copy')] });
    try {
      expect([second.token, second.runtime.systemTokenOrigin, first.runtime.systemTokenOrigin]).to.deep.equal([token, 'data-dir', 'generated']);
      const topics = (await second.post('topics.list', { name_prefix: 'copy.' })).json.data.map((t: { name: string; partitions: Array<{ end_offset: number }> }) => [t.name, t.partitions[0]!.end_offset]);
      expect(topics).to.deep.equal([
        ['copy.input', 3],
        ['copy.output', 3],
      ]);
      await produce(second.runtime.log, 'copy.input', ['d', 'e']);
      await eventually(async () => (await readValues(second.runtime.log, 'copy.output')).length >= 5);
      await new Promise((r) => setTimeout(r, 100));
      expect(await readValues(second.runtime.log, 'copy.output')).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    } finally {
      await second.stop();
    }
  });
});

describe('Runtime > secrets', () => {
  it('never puts a secret in a response or a log line', async () => {
    const secrets = {
      jwtSecret: 'jwt-secret-0123456789-0123456789-abc',
      systemToken: 'system-token-0123456789',
      appSecret: 'fb-app-secret-value',
      verifyToken: 'fb-verify-token-value',
      nested: 'twilio-nested-credential',
      s3Secret: 'media-s3-secret-access-key',
    };
    const leaky = defineRoute({
      name: 'test.leak',
      summary: 'throws errors quoting secrets',
      request: z.object({ known: z.boolean() }),
      response: null,
      example: { known: true },
      handler: (_ctx, body) => {
        if (body.known) throw new RuntimeError('RUNTIME_FORBIDDEN', `token ${secrets.systemToken} / ${secrets.appSecret} refused`);
        throw new Error(`${secrets.jwtSecret} ${secrets.nested} ${secrets.s3Secret}`);
      },
    });
    const rt = await startRuntime(
      {
        auth: { jwtSecret: secrets.jwtSecret, systemToken: secrets.systemToken },
        sources: { facebook: { appSecret: secrets.appSecret, verifyToken: secrets.verifyToken }, twilio: { account: { key: secrets.nested } } },
        media: { store: 's3', s3: { bucket: 'media', accessKeyId: 'AKIA-media', secretAccessKey: secrets.s3Secret } },
      },
      { routes: [leaky], topologies: [copyTopology('copy')] },
    );
    const texts: string[] = [];
    try {
      const jwt = await signJwt(secrets.jwtSecret, { subject: 'u', expiresInSeconds: 60 });
      const responses = [
        ...(await Promise.all(rt.runtime.routes.map((r) => rt.post(r.name, r.example)))),
        ...(await Promise.all(rt.runtime.routes.map((r) => rt.post(r.name, r.example, { token: jwt })))),
        await rt.post('test.leak', { known: false }),
        await rt.post('client.config', {}, { token: 'wrong-token' }),
        await rt.post('client.config', {}, { token: null }),
        await rt.request('GET', '/openapi.json'),
        await rt.request('GET', '/ready'),
        await rt.request('POST', '/client.config', { body: `{"x": "${secrets.systemToken}"` }),
      ];
      for (const res of responses) texts.push(res.text, JSON.stringify([...res.headers]));
      expect((await rt.post('test.leak', { known: true })).json.code).to.equal('RUNTIME_FORBIDDEN');
      texts.push((await rt.post('test.leak', { known: true })).text);
    } finally {
      await rt.stop();
    }
    expect(rt.lines.length).to.be.above(10);
    expect(rt.lines.some((l) => l.includes('runtime.http.internal_error'))).to.equal(true);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(texts.filter((t) => t.includes(secret)), `${name} in a response`).to.deep.equal([]);
      expect(rt.lines.filter((l) => l.includes(secret)), `${name} in the log`).to.deep.equal([]);
    }
  });

  it('keeps the generated token out of the log', async () => {
    const rt = await startRuntime();
    await rt.post('client.config', {}, { token: `${rt.token}-wrong` });
    await rt.stop();
    expect(rt.lines.filter((l) => l.includes(rt.token!))).to.deep.equal([]);
  });
});

describe('Runtime > lifecycle', () => {
  it('refuses to start twice, and to register anything once started', async () => {
    const rt = await startRuntime();
    try {
      const codes = [
        await codeOf(rt.runtime.start()),
        await codeOf(() => rt.runtime.registerTopology(copyTopology('late'))),
        await codeOf(() => rt.runtime.registerWebhook({ provider: 'late', handle: () => ({ status: 200 }) })),
      ];
      expect(codes).to.deep.equal(['RUNTIME_STATE', 'RUNTIME_STATE', 'RUNTIME_STATE']);
    } finally {
      await rt.stop();
    }
  });

  it('has no URL or log before start', async () => {
    const runtime = createRuntime({ dataDir: tempDir('life') });
    expect([await codeOf(() => runtime.url), await codeOf(() => runtime.log), await codeOf(runtime.signToken({ subject: 'x' }))]).to.deep.equal([
      'RUNTIME_STATE',
      'RUNTIME_STATE',
      'RUNTIME_STATE',
    ]);
    await runtime.stop();
  });

  it('rejects an invalid configuration with RUNTIME_CONFIG_INVALID', async () => {
    expect(await codeOf(() => createRuntime({ http: { port: 70000 } }))).to.equal('RUNTIME_CONFIG_INVALID');
  });

  it('fails with RUNTIME_LISTEN_FAILED on a taken port and releases the data directory', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = tempDir('life');
    try {
      const runtime = createRuntime({ dataDir, http: { port } }, { logging: { level: 'silent' } });
      expect(await codeOf(runtime.start())).to.equal('RUNTIME_LISTEN_FAILED');
      expect(runtime.state).to.equal('stopped');
    } finally {
      blocker.close();
    }
    const again = await startRuntime({ dataDir });
    await again.stop();
  });

  it('fails with RUNTIME_TOPOLOGY_FAILED when a topology cannot start, and releases the data directory', async () => {
    const dataDir = tempDir('life');
    const broken = { ...copyTopology('broken'), topics: [], build: copyTopology('broken', { input: 'missing.topic' }).build };
    const runtime = createRuntime({ dataDir, http: { port: 0 } }, { topologies: [copyTopology('fine'), broken], logging: { level: 'silent' } });
    expect(await codeOf(runtime.start())).to.equal('RUNTIME_TOPOLOGY_FAILED');
    const again = await startRuntime({ dataDir });
    await again.stop();
  });

  it('lets requests in flight finish on stop, then refuses connections', async () => {
    let release!: () => void;
    const slow = defineRoute({
      name: 'test.slow',
      summary: 'waits',
      request: z.object({}),
      response: z.strictObject({ done: z.boolean() }),
      example: {},
      handler: () => new Promise<{ done: boolean }>((resolve) => (release = () => resolve({ done: true }))),
    });
    const rt = await startRuntime({}, { routes: [slow] });
    const pending = rt.post('test.slow', {});
    await eventually(() => release !== undefined);
    const stopping = rt.stop();
    setTimeout(() => release(), 50);
    const res = await pending;
    await stopping;
    expect([res.status, res.json, rt.runtime.state]).to.deep.equal([200, { done: true }, 'stopped']);
    const { hostname, port } = new URL(rt.url);
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).to.equal('ECONNREFUSED');
  });

  it('writes runtime.json with the URL while serving', async () => {
    const rt = await startRuntime();
    try {
      expect(JSON.parse(fs.readFileSync(rt.runtime.dataDir.runtimeFile, 'utf8'))).to.deep.equal({ url: rt.url, pid: process.pid });
    } finally {
      await rt.stop();
    }
  });

  it('refuses duplicate topology names and application ids', () => {
    const runtime: Runtime = createRuntime({ dataDir: tempDir('life') }, { topologies: [copyTopology('a')] });
    expect(() => runtime.registerTopology(copyTopology('a'))).to.throw(TypeError);
    expect(() => runtime.registerTopology({ ...copyTopology('b'), applicationId: 'test-a' })).to.throw(TypeError);
  });
});
