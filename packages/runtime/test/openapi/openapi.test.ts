import { expect } from 'chai';
import { openApiChecker, pointerSegment, type OpenApiChecker } from '../openapi-checker.js';
import { z } from 'zod';
import { defineRoute } from '../../src/index.js';
import { copyTopology, startRuntime, type TestRuntime } from '../helpers.js';

/** A JSON pointer segment. */

describe('OpenAPI > document', () => {
  let rt: TestRuntime;
  let doc: any;
  let validate: OpenApiChecker['validate'];
  const extra = defineRoute({
    name: 'test.items-create',
    summary: 'a route with a 201 answer and defaults',
    request: z.object({ name: z.string().min(1), tags: z.array(z.string()).default([]) }),
    response: z.strictObject({ id: z.string(), name: z.string(), tags: z.array(z.string()), created_at: z.iso.datetime() }),
    successStatus: 201,
    example: { name: 'first' },
    handler: (_ctx, body) => ({ id: 'i-1', name: body.name, tags: body.tags, created_at: new Date(0).toISOString() }),
  });

  before(async () => {
    rt = await startRuntime({}, { topologies: [copyTopology('copy')], routes: [extra] });
    // The topic the topics.* examples name (topics.produce's example would create it, but routes run in name order).
    await rt.runtime.log.createTopics([{ name: 'parley.example' }]);
    doc = (await rt.request('GET', '/openapi.json', { token: null })).json;
    ({ validate } = openApiChecker(doc));
  });
  after(() => rt.stop());


  it('is served at GET /openapi.json as OpenAPI 3.1 with every route', () => {
    expect(doc.openapi).to.equal('3.1.0');
    const rpcPaths = Object.keys(doc.paths).filter((p) => p.includes('.') && p !== '/openapi.json');
    expect(rpcPaths.sort()).to.deep.equal(rt.runtime.routes.map((r) => `/${r.name}`).sort());
    expect(rpcPaths).to.include.members(['/client.config', '/topics.list', '/apps.status', '/test.items-create']);
  });

  it('answers every route called with its example with a response the document describes', async () => {
    const checked: string[] = [];
    for (const route of rt.runtime.routes) {
      const op = `/paths/${pointerSegment(`/${route.name}`)}/post`;
      expect(validate(`${op}/requestBody/content/application~1json/schema`, route.example), `${route.name} example`).to.deep.equal([]);
      const res = await rt.post(route.name, route.example);
      const declared = doc.paths[`/${route.name}`].post.responses[String(res.status)];
      expect(declared, `${route.name} answered ${res.status}: ${res.text}`).to.not.equal(undefined);
      expect(res.status, route.name).to.be.below(300);
      expect(validate(`${op}/responses/${res.status}/content/application~1json/schema`, res.json), route.name).to.deep.equal([]);
      checked.push(route.name);
    }
    expect(checked).to.have.length(rt.runtime.routes.length).and.include('test.items-create');
  });

  it('describes the error answers of every authenticated route', async () => {
    for (const route of rt.runtime.routes) {
      const res = await rt.post(route.name, route.example, { token: null });
      expect(res.status, route.name).to.equal(401);
      expect(validate(`/paths/${pointerSegment(`/${route.name}`)}/post/responses/401/content/application~1json/schema`, res.json)).to.deep.equal([]);
    }
  });

  it('describes /health and /ready', async () => {
    for (const p of ['/health', '/ready']) {
      const res = await rt.request('GET', p, { token: null });
      expect(validate(`/paths/${pointerSegment(p)}/get/responses/${res.status}/content/application~1json/schema`, res.json), p).to.deep.equal([]);
    }
  });

  it('rejects a response that does not match, so the check above can fail', () => {
    const op = `/paths/${pointerSegment('/client.config')}/post/responses/200/content/application~1json/schema`;
    expect(validate(op, { version: '1', sources: {}, features: { auth: true, log_backend: 'embedded', webhooks: [] }, topologies: [], secret: 'x' })).to.not.deep.equal([]);
    expect(validate(op, { version: 1 })).to.not.deep.equal([]);
  });
});
