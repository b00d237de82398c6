import { FaultyFs } from '@parley/streams/testing';
import { expect } from 'chai';
import { createPlatform, type Runtime } from '../../src/index.js';
import { readTestResponse, tempDir, type TestResponse } from '../helpers.js';

interface Platform {
  runtime: Runtime;
  post(route: string, body: unknown, token?: string): Promise<TestResponse>;
  get(pathname: string): Promise<TestResponse>;
}

async function startPlatform(faults: FaultyFs): Promise<Platform> {
  // Webhooks off: their publisher appends events a while after each message (it first waits for
  // its view of the subscriptions), so its failed append could be the first and refuse every
  // write before an application meets the fault, which is what this test is about.
  const runtime = createPlatform({ dataDir: tempDir('disk-fault'), http: { port: 0 }, logLevel: 'error', webhooks: { enabled: false } }, { embeddedLogFs: faults });
  // A provider webhook that would store what it is sent: refused before its body is read while the log refuses writes.
  runtime.registerWebhook({ provider: 'probe', methods: ['POST'], handle: () => ({ status: 200, body: {} }) });
  await runtime.start();
  const post = async (route: string, body: unknown, token = runtime.systemToken!) =>
    readTestResponse(await fetch(`${runtime.url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  const get = async (pathname: string) => readTestResponse(await fetch(runtime.url + pathname));
  return { runtime, post, get };
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A 503 as the API documents it: RUNTIME_NOT_READY (or RUNTIME_UNHEALTHY), a Retry-After, no internals. */
function expectUnavailable(response: TestResponse, code = 'RUNTIME_NOT_READY'): void {
  expect([response.status, response.json?.code], response.text).to.deep.equal([503, code]);
  expect(Number(response.headers.get('retry-after')), 'Retry-After').to.be.at.least(1);
  expect(response.json.message).to.not.match(/task|store named|\/tmp|ENOSPC/);
}

describe('Runtime > a disk fault under ingestion, then recovery without a restart', function () {
  this.timeout(180_000);

  it('refuses writes with 503 + Retry-After and is unhealthy while appends fail; recovers once the disk has room, losing no acknowledged message', async () => {
    const faults = new FaultyFs();
    const platform = await startPlatform(faults);
    try {
      const created = await platform.post('sources.create', { id: 'shop' });
      expect(created.status).to.be.oneOf([200, 201]);
      const sourceToken: string = created.json.token;
      expect((await platform.post('sources.channels.create', { source_id: 'shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);

      const acknowledged = new Map<string, string>(); // message id → conversation id
      let n = 0;
      const send = async (): Promise<TestResponse> => {
        const i = n++;
        const message = { source_message_id: `m-${i}`, source_conversation_id: `contact-${i % 5}`, source_channel_id: 'web', sent_at: 1_700_000_000_000 + i, content: { text: `message ${i}` }, from_contact: true };
        const response = await platform.post('sources.webhook', { messages: [message] }, sourceToken);
        if (response.status === 200) acknowledged.set(response.json.messages[0].message_id, response.json.messages[0].conversation_id);
        // The custom source's ingestion door answers its own code for a write the log refused.
        else expectUnavailable(response, 'SOURCES_LOG_UNAVAILABLE');
        return response;
      };
      for (let i = 0; i < 20; i++) expect((await send()).status).to.equal(200);

      // A failing disk under the applications: their writes (outputs, changelogs) fail while four
      // clients keep sending, so they fail mid-processing and retry with backoff; their failed
      // appends make the API refuse writes too (any append failing means the log is failing).
      faults.plan = (call, _index, file) => (call === 'write' && !file.includes('source.custom.events') ? { code: 'EIO', partialBytes: 3 } : undefined);
      let refused = 0;
      const writers = Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 25; i++) if ((await send()).status === 503) refused++;
      });
      await Promise.all(writers);
      // How many are still acknowledged first depends on which component appends first once the
      // disk fails (an application's output, an offset commit, the webhook publisher): only the
      // refusal is certain. Every acknowledged one is checked after the recovery below.
      expect(refused, 'refused while appends fail').to.be.greaterThan(0);
      await until('an application is retrying', async () => [...platform.runtime.apps.values()].some(({ app }) => app.state === 'restoring'));
      const recovering = await platform.get('/health');
      expectUnavailable(recovering, 'RUNTIME_UNHEALTHY');
      expect(recovering.json.message).to.contain('is recovering');

      // Then a full disk: writes are refused at once, and the platform says it cannot process.
      faults.failAll('write', { code: 'ENOSPC', partialBytes: 5 });
      await until('a webhook is refused', async () => (await send()).status === 503);
      const health = await platform.get('/health');
      expectUnavailable(health, 'RUNTIME_UNHEALTHY');
      expect(health.json.message).to.contain('log is refusing');
      const hook = await platform.post('webhooks/probe', { messages: [] });
      expectUnavailable(hook);
      // The read model answers, or says (documented) that it is recovering: never engine internals.
      const listed = await platform.post('conversations.list', {});
      if (listed.status !== 200) expectUnavailable(listed);

      // The disk has room again: the applications' retries and the next writes get through.
      faults.clear();
      await until('/health and /ready answer 200', async () => {
        if ((await platform.get('/ready')).status !== 200) return false;
        if ((await platform.get('/health')).status !== 200) {
          await send(); // a write lets the log prove it takes writes again
          return false;
        }
        return true;
      });
      for (let i = 0; i < 20; i++) expect((await send()).status).to.equal(200);
      for (const [name, { app }] of platform.runtime.apps) expect(app.state, name).to.equal('running');

      // Every acknowledged message is in the read model, exactly once.
      const expected = new Map<string, string[]>();
      for (const [messageId, conversationId] of acknowledged) expected.set(conversationId, [...(expected.get(conversationId) ?? []), messageId]);
      for (const [conversationId, ids] of expected) {
        let listedIds: string[] = [];
        await until(`every acknowledged message of ${conversationId} is listed`, async () => {
          listedIds = [];
          let cursor: string | undefined;
          do {
            const page = await platform.post('messages.list', { conversation_id: conversationId, page_size: 100, ...(cursor ? { cursor } : {}) });
            if (page.status !== 200) return false;
            listedIds.push(...page.json.data.map((m: { id: string }) => m.id));
            cursor = page.json.pagination_data.next_cursor ?? undefined;
          } while (cursor);
          return ids.every((id) => listedIds.includes(id));
        });
        expect(new Set(listedIds).size, `duplicates in ${conversationId}`).to.equal(listedIds.length);
      }
      expect(acknowledged.size).to.be.greaterThan(40);
      expect(faults.injected).to.be.greaterThan(0);
    } finally {
      faults.clear();
      await platform.runtime.stop();
    }
  });
});
