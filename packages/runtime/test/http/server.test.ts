import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineRoute, RuntimeError, signJwt, generateJwtSecret, type WebhookDefinition } from '../../src/index.js';
import { copyTopology, eventually, produce, startRuntime, type TestRuntime } from '../helpers.js';

/** Keys of an error body: the API promises exactly these two. */
function errorShape(json: unknown): string[] {
  return Object.keys(json as object).sort();
}

describe('Http > server > system endpoints', () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startRuntime({}, { topologies: [copyTopology('copy')] });
  });
  after(() => rt.stop());

  it('answers /health and /ready without a token', async () => {
    const [health, ready] = await Promise.all([rt.request('GET', '/health', { token: null }), rt.request('GET', '/ready', { token: null })]);
    expect([health.status, health.json, ready.status, ready.json]).to.deep.equal([
      200,
      { status: 'ok', checks: { log: 'accepting', 'app:copy': 'running' } },
      200,
      { status: 'ready', checks: { runtime: 'running', 'app:copy': 'running' } },
    ]);
  });

  it('answers 405 with Allow for another method on a GET endpoint', async () => {
    const res = await rt.request('POST', '/health', { token: null });
    expect([res.status, res.headers.get('allow'), res.json.code]).to.deep.equal([405, 'GET', 'RUNTIME_METHOD_NOT_ALLOWED']);
  });

  it('turns not ready once a topology stops running', async () => {
    await produce(rt.runtime.log, 'copy.input', ['boom']);
    await eventually(() => rt.runtime.apps.get('copy')!.app.state === 'error');
    const res = await rt.request('GET', '/ready', { token: null });
    expect([res.status, res.json.code, errorShape(res.json)]).to.deep.equal([503, 'RUNTIME_NOT_READY', ['code', 'message']]);
    // A failed application does not come back without a restart: liveness says so too (issue 9).
    const health = await rt.request('GET', '/health', { token: null });
    expect([health.status, health.json.code, health.json.message, health.headers.get('retry-after')]).to.deep.equal([503, 'RUNTIME_UNHEALTHY', 'cannot process: app:copy is error', '1']);
  });
});

describe('Http > server > auth', () => {
  let rt: TestRuntime;
  let jwtSecret: string;
  before(async () => {
    jwtSecret = generateJwtSecret();
    rt = await startRuntime({ auth: { jwtSecret } });
  });
  after(() => rt.stop());

  it('answers 401, 403 or 200 depending on the credentials', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string | null> = {
      none: null,
      'system token': rt.token!,
      'valid JWT': await signJwt(jwtSecret, { subject: 'ada', expiresInSeconds: 300 }),
      'JWT minted by the runtime': await rt.runtime.signToken({ subject: 'bob', expiresInSeconds: 300 }),
      'expired JWT': await signJwt(jwtSecret, { subject: 'ada', issuedAt: now - 600, expiresInSeconds: 60 }),
      'JWT signed with another secret': await signJwt(generateJwtSecret(), { subject: 'ada' }),
      garbage: 'not-a-token',
    };
    const statuses: Record<string, [number, string | undefined]> = {};
    for (const [name, token] of Object.entries(cases)) {
      const res = await rt.post('client.config', {}, { token });
      statuses[name] = [res.status, res.json?.code];
    }
    expect(statuses).to.deep.equal({
      none: [401, 'RUNTIME_UNAUTHORIZED'],
      'system token': [200, undefined],
      'valid JWT': [200, undefined],
      'JWT minted by the runtime': [200, undefined],
      'expired JWT': [403, 'RUNTIME_FORBIDDEN'],
      'JWT signed with another secret': [403, 'RUNTIME_FORBIDDEN'],
      garbage: [403, 'RUNTIME_FORBIDDEN'],
    });
  });

  it('asks for a bearer token on 401', async () => {
    const res = await rt.post('client.config', {}, { token: null });
    expect(res.headers.get('www-authenticate')).to.equal('Bearer realm="parley"');
  });

  it('checks the token before reading the body', async () => {
    const res = await rt.request('POST', '/client.config', { token: null, body: '{not json' });
    expect(res.json.code).to.equal('RUNTIME_UNAUTHORIZED');
  });
});

describe('Http > server > auth disabled', () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startRuntime({ auth: { enabled: false } });
  });
  after(() => rt.stop());

  it('lets requests in without a token when the configuration turns auth off', async () => {
    const res = await rt.post('client.config', {}, { token: null });
    expect([res.status, res.json.features.auth, rt.token]).to.deep.equal([200, false, undefined]);
  });

  it('warns in the log that auth is off', () => {
    expect(rt.lines.some((l) => JSON.parse(l).event === 'runtime.auth.disabled')).to.equal(true);
  });
});

describe('Http > server > errors', () => {
  let rt: TestRuntime;
  const routes = [
    defineRoute({
      name: 'test.fail',
      summary: 'throws an unknown error',
      request: z.object({}),
      response: z.object({}),
      example: {},
      handler: () => {
        throw new Error('database password is hunter2 at /internal/file.ts:12');
      },
    }),
    defineRoute({
      name: 'test.lie',
      summary: 'answers outside its schema',
      request: z.object({}),
      response: z.strictObject({ n: z.number() }),
      example: {},
      handler: () => ({ n: 'one' }) as unknown as { n: number },
    }),
    defineRoute({
      name: 'test.echo',
      summary: 'echoes a nested field',
      request: z.object({ user: z.object({ age: z.int().min(0) }) }),
      response: z.strictObject({ age: z.int() }),
      successStatus: 201,
      example: { user: { age: 3 } },
      handler: (_ctx, body) => ({ age: body.user.age }),
    }),
    defineRoute({
      name: 'test.nothing',
      summary: 'answers 204',
      request: z.object({}),
      response: null,
      example: {},
      handler: () => undefined,
    }),
    defineRoute({
      name: 'test.conflict',
      summary: 'throws a known error',
      request: z.object({}),
      response: null,
      example: {},
      handler: () => {
        throw new RuntimeError('RUNTIME_STATE', 'not now');
      },
    }),
  ];
  before(async () => {
    rt = await startRuntime({ http: { bodyLimitBytes: 10_000 } }, { routes });
  });
  after(() => rt.stop());

  it('answers 400 RUNTIME_INVALID_JSON to a body that is not JSON', async () => {
    const res = await rt.request('POST', '/client.config', { body: '{"a":', headers: { 'content-type': 'application/json' } });
    expect([res.status, res.json.code, errorShape(res.json)]).to.deep.equal([400, 'RUNTIME_INVALID_JSON', ['code', 'message']]);
  });

  it('answers 413 RUNTIME_BODY_TOO_LARGE to a body over the limit', async () => {
    const res = await rt.post('client.config', { pad: 'x'.repeat(20_000) });
    expect([res.status, res.json.code]).to.deep.equal([413, 'RUNTIME_BODY_TOO_LARGE']);
  });

  it('answers 404 RUNTIME_NOT_FOUND to an unknown route, with or without a token', async () => {
    const results = await Promise.all([rt.post('nothing.here', {}), rt.post('nothing.here', {}, { token: null }), rt.request('GET', '/', {})]);
    expect(results.map((r) => [r.status, r.json.code])).to.deep.equal([
      [404, 'RUNTIME_NOT_FOUND'],
      [404, 'RUNTIME_NOT_FOUND'],
      [404, 'RUNTIME_NOT_FOUND'],
    ]);
  });

  it('answers 405 with Allow: POST to another method on an RPC route', async () => {
    const res = await rt.request('GET', '/client.config');
    expect([res.status, res.headers.get('allow'), res.json.code]).to.deep.equal([405, 'POST', 'RUNTIME_METHOD_NOT_ALLOWED']);
  });

  it('answers 400 RUNTIME_INVALID_REQUEST naming the invalid field', async () => {
    const [nested, paging, notObject] = await Promise.all([rt.post('test.echo', { user: { age: -1 } }), rt.post('topics.list', { page_size: 'ten' }), rt.post('test.echo', [1])]);
    expect([nested.status, nested.json.code, paging.status, paging.json.code, notObject.json.code]).to.deep.equal([
      400,
      'RUNTIME_INVALID_REQUEST',
      400,
      'RUNTIME_INVALID_REQUEST',
      'RUNTIME_INVALID_REQUEST',
    ]);
    expect(nested.json.message).to.include('user.age');
    expect(paging.json.message).to.include('page_size');
  });

  it('parses the body as JSON whatever the content type, and an empty body as {}', async () => {
    const [form, empty] = await Promise.all([
      rt.request('POST', '/test.echo', { body: '{"user":{"age":4}}', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      rt.request('POST', '/client.config'),
    ]);
    expect([form.status, form.json, empty.status]).to.deep.equal([201, { age: 4 }, 200]);
  });

  it('answers 204 without a body for a route without a response schema', async () => {
    const res = await rt.post('test.nothing', {});
    expect([res.status, res.text]).to.deep.equal([204, '']);
  });

  it('answers a known error with its status', async () => {
    const res = await rt.post('test.conflict', {});
    expect([res.status, res.json]).to.deep.equal([409, { message: 'not now', code: 'RUNTIME_STATE' }]);
  });

  it('answers 500 RUNTIME_INTERNAL without detail to an unknown error, and logs its stack', async () => {
    const res = await rt.post('test.fail', {});
    expect([res.status, res.json]).to.deep.equal([500, { message: 'internal error', code: 'RUNTIME_INTERNAL' }]);
    const logged = rt.lines.map((l) => JSON.parse(l)).find((l) => l.event === 'runtime.http.internal_error' && l.path === '/test.fail');
    expect(logged?.err?.stack).to.include('hunter2');
  });

  it('answers 500 when a handler answers outside its response schema', async () => {
    const res = await rt.post('test.lie', {});
    expect([res.status, res.json.code]).to.deep.equal([500, 'RUNTIME_INTERNAL']);
  });
});

describe('Http > server > webhooks', () => {
  let rt: TestRuntime;
  const signingKey = 'webhook-signing-key';
  const received: Buffer[] = [];
  const hook: WebhookDefinition = {
    provider: 'acme',
    handle(req) {
      if (req.method === 'GET') return { status: 200, body: String(req.query['challenge'] ?? '') };
      const expected = createHmac('sha256', signingKey).update(req.rawBody).digest('hex');
      if (req.headers['x-acme-signature'] !== expected) throw Object.assign(new Error('bad signature'), { code: 'SOURCES_SIGNATURE_INVALID' });
      received.push(req.rawBody);
      return { status: 200, body: { ok: true } };
    },
  };
  before(async () => {
    rt = await startRuntime({}, { webhooks: [hook] });
  });
  after(() => rt.stop());

  it('hands the raw body to the provider hook without asking for a token', async () => {
    const body = '{ "spaced" :  "exactly as sent" }';
    const signature = createHmac('sha256', signingKey).update(body).digest('hex');
    const res = await rt.request('POST', '/webhooks/acme', { token: null, body, headers: { 'content-type': 'application/json', 'x-acme-signature': signature } });
    expect([res.status, res.json, received.map((b) => b.toString('utf8'))]).to.deep.equal([200, { ok: true }, [body]]);
  });

  it('lets the hook reject a bad signature with its own code', async () => {
    const res = await rt.request('POST', '/webhooks/acme', { token: null, body: '{}', headers: { 'x-acme-signature': 'nope' } });
    expect([res.status, res.json.code]).to.deep.equal([401, 'SOURCES_SIGNATURE_INVALID']);
  });

  it('answers a GET verification handshake', async () => {
    const res = await rt.request('GET', '/webhooks/acme?challenge=c-123', { token: null });
    expect([res.status, res.text]).to.deep.equal([200, 'c-123']);
  });

  it('answers 404 for a provider without a hook', async () => {
    const res = await rt.request('POST', '/webhooks/other', { token: null, body: '{}' });
    expect([res.status, res.json.code]).to.deep.equal([404, 'RUNTIME_NOT_FOUND']);
  });
});
