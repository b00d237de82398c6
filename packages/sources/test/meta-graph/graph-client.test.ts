import { expect } from 'chai';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphClient, GraphError } from '../../src/index.js';

/** Answers each request with the next scripted answer, recording what came. */
async function scriptedGraph(answers: [number, unknown][]) {
  const seen: { method: string; url: string; authorization: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
      const [status, body] = answers.shift() ?? [500, {}];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const error = (code: number, message: string) => ({ error: { message, type: 'OAuthException', code, fbtrace_id: 'x' } });

describe('Meta > Graph client', () => {
  let graph: Awaited<ReturnType<typeof scriptedGraph>>;
  const waits: number[] = [];
  const client = () => new GraphClient({ baseUrl: graph.url, apiVersion: 'v21.0', timeoutMs: 2000, retryDelaysMs: [100, 200, 300], sleep: async (ms) => void waits.push(ms) });
  afterEach(async () => {
    waits.length = 0;
    await graph.close();
  });

  it('retries rate limits (codes 4, 32, 613, HTTP 429) with the configured backoff, then returns the answer', async () => {
    graph = await scriptedGraph([[400, error(613, 'rate')], [403, error(4, 'app limit')], [429, error(32, 'page limit')], [200, { message_id: 'm_1' }]]);
    expect(await client().call({ method: 'POST', path: '/1111/messages', token: 'tok', body: {}, query: { a: 'b' } })).to.deep.equal({ message_id: 'm_1' });
    expect(waits).to.deep.equal([100, 200, 300]);
    expect(graph.seen.map((s) => [s.method, s.url, s.authorization])).to.deep.equal(Array(4).fill(['POST', '/v21.0/1111/messages?a=b', 'Bearer tok']));
  });

  it('fails at once on other Graph errors, with Graph\'s message, codes and body', async () => {
    graph = await scriptedGraph([[400, { error: { message: '(#10) This message is sent outside of allowed window.', code: 10, error_subcode: 2018278 } }]]);
    const err = await client().call({ method: 'POST', path: '/1111/messages', token: 'tok', body: {} }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GraphError);
    expect(err).to.include({ code: 'SOURCES_DELIVERY_FAILED', message: '(#10) This message is sent outside of allowed window.', status: 400, graphCode: 10, graphSubcode: 2018278, attempts: 1, retriable: false });
    expect(waits).to.deep.equal([]);
  });

  it('gives up after the last retry of a rate limit, reporting it', async () => {
    graph = await scriptedGraph(Array(4).fill([400, error(32, '(#32) Page request limit reached')]));
    const err = await client().call({ method: 'GET', path: '/PSID', token: 'tok' }).catch((e: unknown) => e);
    expect(err).to.include({ message: '(#32) Page request limit reached', attempts: 4, retriable: true });
  });
});
