import { expect } from 'chai';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChatPlatform, type ChatPlatform } from '../chatplugin/chatplugin-fixture.js';
import { readTestResponse, type TestResponse } from '../helpers.js';
import { hostileRequests, type FuzzRequest, type SchemaNode } from './fuzz-requests.js';
import { settledLogEnds } from './log-snapshot.js';

/**
 * The fuzz suite of issue 9: for every operation of the OpenAPI document a started platform
 * serves, hostile requests (fuzz-requests.ts) must never get a 5xx and never hang; every refusal
 * is JSON `{ message, code }` with a code of docs/api.md's error table, and stores nothing.
 * Runs per operation: PARLEY_FUZZ_RUNS (default 8, well under a minute in all).
 */
const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 8);
/** The platform's default `http.bodyLimitBytes`. */
const BODY_LIMIT = 1024 * 1024;
/** An answer slower than this is a hang (the platform's own bounds are all far below it). */
const HANG_MS = 15_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const DOCUMENTED_CODES = new Set([...fs.readFileSync(path.join(root, 'docs/api.md'), 'utf8').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| \d{3} \|/gm)].map((m) => m[1]!));

interface Operation {
  method: string;
  path: string;
  schema: SchemaNode;
  example: unknown;
  /** The token that lets a request through to validation (undefined: none needed). */
  token: string | undefined;
}

describe('Http > fuzz every route (issue 9)', function () {
  this.timeout(Math.max(120_000, RUNS * 10_000));
  let p: ChatPlatform;
  let operations: Operation[];

  before(async () => {
    p = await startChatPlatform();
    expect(DOCUMENTED_CODES.size, 'codes parsed from docs/api.md').to.be.greaterThan(10);
    const source = await p.post('sources.create', { id: 'fuzz-source' });
    expect(source.status, source.text).to.equal(201);
    const channel = await p.connectChannel();
    const chat = await p.startChat(channel.id);
    const tokens: Record<string, string> = { bearerAuth: p.systemToken!, sourceToken: source.json.token, chatToken: chat.token };
    const document = (await (await fetch(`${p.runtime.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> };
    operations = [];
    for (const [route, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const content = op.requestBody?.content?.['application/json'];
        const scheme = op.security === undefined ? 'bearerAuth' : Object.keys(op.security[0] ?? {})[0];
        operations.push({ method: method.toUpperCase(), path: route, schema: content?.schema ?? {}, example: content?.example, token: scheme === undefined ? undefined : tokens[scheme] });
      }
    }
    // The provider webhook path, for a provider that has no webhook here (404 for every body).
    operations = operations.map((o) => (o.path === '/webhooks/{provider}' ? { ...o, path: '/webhooks/chatplugin' } : o));
    expect(operations.length).to.be.greaterThan(40);
  });
  after(() => p?.stop());

  const send = async (op: Operation, request: FuzzRequest): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...request.headers };
    const token = request.token === 'valid' ? op.token : request.token;
    if (token !== null && token !== undefined) headers.authorization = `Bearer ${token}`;
    const method = op.method === 'GET' ? 'GET' : 'POST';
    const res = await fetch(`${p.runtime.url}${op.path}`, { method, headers, ...(method === 'GET' || request.body === undefined ? {} : { body: request.body }), signal: AbortSignal.timeout(HANG_MS) });
    return readTestResponse(res);
  };

  it('answers every hostile request below 500 and in time; refusals are documented JSON errors that store nothing', async () => {
    const seen = new Map<string, number>();
    for (const op of operations) {
      let before = await settledLogEnds(p.runtime);
      await fc.assert(
        fc.asyncProperty(hostileRequests(op.schema, op.example, BODY_LIMIT), async (request) => {
          const where = `${op.method} ${op.path} with ${request.label}`;
          const res = await send(op, request);
          expect(res.status, `${where}: ${res.text.slice(0, 300)}`).to.be.below(500);
          const after = await settledLogEnds(p.runtime);
          if (res.status >= 400) {
            expect(res.json, `${where}: ${res.text.slice(0, 300)}`).to.be.an('object');
            expect(Object.keys(res.json).sort(), where).to.deep.equal(['code', 'message']);
            expect(res.json.message, where).to.be.a('string');
            expect(DOCUMENTED_CODES.has(res.json.code), `${where}: ${res.json.code} is not in docs/api.md`).to.equal(true);
            const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
            expect(changed, `${where}: refused, yet the log changed`).to.deep.equal([]);
            seen.set(res.json.code, (seen.get(res.json.code) ?? 0) + 1);
          }
          before = after;
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
    // The generators reach the parsers and validators, not only the token check.
    expect([...seen.keys()]).to.include.members(['RUNTIME_INVALID_REQUEST', 'RUNTIME_UNAUTHORIZED']);
  });

  it('answers the system endpoints 405 for other methods', async () => {
    for (const route of ['/health', '/ready', '/openapi.json']) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const res = await readTestResponse(await fetch(`${p.runtime.url}${route}`, { method, signal: AbortSignal.timeout(HANG_MS) }));
        expect([res.status, res.json?.code], `${method} ${route}`).to.deep.equal([405, 'RUNTIME_METHOD_NOT_ALLOWED']);
      }
    }
  });
});
