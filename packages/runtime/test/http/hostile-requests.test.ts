import { expect } from 'chai';
import { MAX_JSON_DEPTH } from '@parley/schemas';
import { expectError, startPlatform, type TestPlatform } from '../api/communication/platform-fixture.js';
import { readTestResponse, tempDir } from '../helpers.js';
import { settledLogEnds } from './log-snapshot.js';
import { createRuntime, isRuntimeError } from '../../src/index.js';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `leaf` inside `levels` single-element arrays. */
const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
};

const UNKNOWN_CONVERSATION = '7b3e8c3a-2f4f-5a8e-9c1d-3e5f7a9b1c2d';

describe('Http > hostile requests (issue 9)', function () {
  this.timeout(20_000);
  let p: TestPlatform;
  let sourceToken: string;

  const message = (overrides: Record<string, unknown> = {}) => ({
    source_message_id: 'm-1',
    source_conversation_id: 'contact-1',
    source_channel_id: 'account-1',
    sent_at: 1_700_000_000_000,
    content: { text: 'hi' },
    from_contact: true,
    ...overrides,
  });

  before(async () => {
    // A conversation wait far over the test timeout: a 404 must not come from the wait ending.
    p = await startPlatform({ communication: { conversationWaitMs: 60_000 } });
    const created = await p.post('sources.create', { id: 'acme' });
    expect(created.status, created.text).to.equal(201);
    sourceToken = created.json.token;
    expect((await p.post('sources.channels.create', { source_id: 'acme', source_channel_id: 'account-1' })).status).to.equal(201);
  });
  after(() => p.stop());

  describe('lone surrogates in source ids (point 3)', () => {
    for (const field of ['source_message_id', 'source_conversation_id', 'source_channel_id']) {
      it(`refuses one in ${field} with 400 before storing anything, on every retry`, async () => {
        const before = await settledLogEnds(p.runtime);
        const body = { messages: [message({ [field]: 'id-\ud800' })] };
        for (let attempt = 0; attempt < 3; attempt += 1) {
          expectError(await p.post('sources.webhook', body, { token: sourceToken }), 400, 'RUNTIME_INVALID_UNICODE');
        }
        expect(await settledLogEnds(p.runtime)).to.deep.equal(before);
      });
    }

    it('refuses a lone surrogate anywhere in an RPC body, keys included', async () => {
      expectError(await p.post('templates.create', { name: 'x', source: 'facebook', content: { '\udc00': 1 } }), 400, 'RUNTIME_INVALID_UNICODE');
      expectError(await p.post('tags.create', { name: '\udbff' }), 400, 'RUNTIME_INVALID_UNICODE');
    });

    it('refuses bytes that are not UTF-8', async () => {
      const res = await readTestResponse(
        await fetch(`${p.runtime.url}/tags.create`, { method: 'POST', headers: { authorization: `Bearer ${p.token}` }, body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) }),
      );
      expectError(res, 400, 'RUNTIME_INVALID_UNICODE');
    });

    it('still takes astral characters (surrogate pairs) in ids', async () => {
      const res = await p.post('sources.webhook', { messages: [message({ source_message_id: 'm-😀' })] }, { token: sourceToken });
      expect(res.status, res.text).to.equal(200);
    });
  });

  describe('deep nesting (point 4)', () => {
    const deep = nested(2000);
    const cases: [string, unknown][] = [
      ['messages.send', { conversation_id: UNKNOWN_CONVERSATION, message: deep }],
      ['templates.create', { name: 'x', source: 'facebook', content: deep }],
      ['templates.update', { id: UNKNOWN_CONVERSATION, content: deep }],
      ['metadata.upsert', { subject: 'conversation', id: UNKNOWN_CONVERSATION, data: { a: deep } }],
    ];
    for (const [route, body] of cases) {
      it(`answers 400 RUNTIME_JSON_TOO_DEEP on ${route}, and stores nothing`, async () => {
        const before = await settledLogEnds(p.runtime);
        expectError(await p.post(route, body), 400, 'RUNTIME_JSON_TOO_DEEP');
        expect(await settledLogEnds(p.runtime)).to.deep.equal(before);
      });
    }

    it('answers 400 on the custom source ingestion door, for content and metadata', async () => {
      const before = await settledLogEnds(p.runtime);
      const bodies = [
        { messages: [message({ content: deep })] },
        { metadata: [{ namespace: 'conversation', source_channel_id: 'account-1', source_id: 'contact-1', metadata: { a: deep } }] },
      ];
      for (const body of bodies) {
        expectError(await p.post('sources.webhook', body, { token: sourceToken }), 400, 'RUNTIME_JSON_TOO_DEEP');
      }
      expect(await settledLogEnds(p.runtime)).to.deep.equal(before);
    });

    it(`takes ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}`, async () => {
      // The body object is level 1, `content` level 2.
      const at = (levels: number) => ({ name: `deep ${levels}`, source: 'facebook', content: nested(levels - 1) });
      expect((await p.post('templates.create', at(MAX_JSON_DEPTH))).status).to.equal(201);
      expectError(await p.post('templates.create', at(MAX_JSON_DEPTH + 1)), 400, 'RUNTIME_JSON_TOO_DEEP');
    });
  });

  describe('commands on unknown ids (point 6)', () => {
    const commands: [string, unknown][] = [
      ['conversations.tag', { conversation_id: UNKNOWN_CONVERSATION, tag_id: UNKNOWN_CONVERSATION }],
      ['conversations.mark-read', { conversation_id: UNKNOWN_CONVERSATION }],
      ['conversations.set-state', { conversation_id: UNKNOWN_CONVERSATION, state: 'OPEN' }],
      ['messages.send', { conversation_id: UNKNOWN_CONVERSATION, message: { text: 'hi' } }],
      ['metadata.upsert', { subject: 'conversation', id: UNKNOWN_CONVERSATION, data: { a: 1 } }],
    ];
    for (const [route, body] of commands) {
      it(`answers ${route} 404 at once when nothing for the id is pending (the wait is 60 s)`, async () => {
        const res = await p.post(route, body);
        expect(res.status, res.text).to.equal(404);
        expect(res.json.code).to.be.oneOf(['RUNTIME_NOT_FOUND']);
      });
    }

    it('still waits for a conversation whose first message is on its way (read-your-writes)', async () => {
      for (let i = 0; i < 5; i += 1) {
        const accepted = await p.post('sources.webhook', { messages: [message({ source_message_id: `ryw-${i}`, source_conversation_id: `ryw-contact-${i}` })] }, { token: sourceToken });
        expect(accepted.status, accepted.text).to.equal(200);
        // Sent right away: the router and the read model have not necessarily seen the payload yet.
        const read = await p.post('conversations.mark-read', { conversation_id: accepted.json.messages[0].conversation_id });
        expect(read.status, read.text).to.be.within(200, 299);
      }
    });
  });

  describe('smaller ones (point 8)', () => {
    it('documents the code of POST /sources.webhook without a token', async () => {
      const res = await readTestResponse(await fetch(`${p.runtime.url}/sources.webhook`, { method: 'POST', body: '{}' }));
      expectError(res, 401, 'SOURCES_TOKEN_MISSING');
      const document = (await (await fetch(`${p.runtime.url}/openapi.json`)).json()) as { paths: Record<string, { post: { responses: Record<string, { description?: string }> } }> };
      expect(document.paths['/sources.webhook']!.post.responses['401']!.description).to.include('SOURCES_TOKEN_MISSING');
    });

    it('names the bad key of metadata.upsert', async () => {
      const res = await p.post('metadata.upsert', { subject: 'conversation', id: UNKNOWN_CONVERSATION, data: { 'a.b': 1 } });
      expectError(res, 400, 'RUNTIME_INVALID_REQUEST');
      expect(res.json.message).to.include('"a.b"');
    });
  });
});

describe('Http > data directory errors state their cause (issue 9, point 8)', () => {
  it('says why a data directory cannot be used', async () => {
    const blocker = path.join(tempDir('data-dir-cause'), 'a-file');
    fs.writeFileSync(blocker, '');
    const runtime = createRuntime({ dataDir: path.join(blocker, 'data'), http: { port: 0 } }, { logging: { level: 'silent' } });
    const err = await runtime.start().then(
      () => expect.fail('start() should fail'),
      (e: unknown) => e,
    );
    expect(isRuntimeError(err, 'RUNTIME_DATA_DIR_INVALID'), String(err)).to.equal(true);
    expect((err as Error).message).to.include('(ENOTDIR)');
  });
});
