import { expect } from 'chai';
import { COMMUNICATION_TOPICS } from '@parley/schemas';
import { modelSerdes } from '@parley/communication';
import { customProvider } from '@parley/sources';
import { createRuntime, registerProvider, type Runtime } from '../../src/index.js';
import { eventually, tempDir } from '../helpers.js';

const serdes = modelSerdes();

describe('Providers > custom (registerProvider)', function () {
  this.timeout(20_000);
  let runtime: Runtime;

  const call = async (path: string, body: unknown, token: string | null) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${runtime.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
  };

  beforeEach(async () => {
    runtime = createRuntime({ dataDir: tempDir('sources'), http: { port: 0 }, sources: { custom: { partitions: 1 } } }, { logging: { level: 'silent' } });
    registerProvider(runtime, customProvider);
    await runtime.start();
  });
  afterEach(() => runtime.stop());

  it('manages sources and channels over the API and ingests with the source token', async () => {
    const system = runtime.systemToken!;
    const created = await call('/sources.create', { id: 'acme', action_endpoint: 'http://127.0.0.1:9/actions' }, system);
    expect(created.status).to.equal(201);
    const token: string = created.json.token;
    expect(created.json.signing_secret).to.match(/^whsec_/);
    expect((await call('/sources.create', { id: 'acme' }, system)).json.code).to.equal('SOURCES_SOURCE_EXISTS');
    expect((await call('/sources.create', { id: 'facebook-x' }, system)).status).to.equal(400);

    const listed = await call('/sources.list', {}, system);
    expect(listed.json.data.map((s: Record<string, unknown>) => [s.id, 'token' in s])).to.deep.equal([['acme', false]]);
    // The source token is not a system token: management routes refuse it.
    expect((await call('/sources.list', {}, token)).status).to.equal(403);

    const channel = await call('/sources.channels.create', { source_id: 'acme', source_channel_id: 'account-1' }, system);
    expect([channel.status, channel.json.connected]).to.deep.equal([201, true]);

    const payload = { messages: [{ source_message_id: 'm-1', source_conversation_id: 'c-1', source_channel_id: 'account-1', sent_at: 1_700_000_000_000, content: { text: 'hi' }, from_contact: true }] };
    expect((await call('/sources.webhook', payload, null)).status).to.equal(401);
    expect((await call('/sources.webhook', payload, system)).status).to.equal(403);
    expect((await call('/sources.webhook', { messages: [{}] }, token)).json.code).to.equal('RUNTIME_INVALID_REQUEST');
    const accepted = await call('/sources.webhook', payload, token);
    expect(accepted.status).to.equal(200);
    const messageId: string = accepted.json.messages[0].message_id;

    await eventually(async () => {
      const records = await runtime.log.read({ topic: COMMUNICATION_TOPICS.messages.name, partition: 0 }, 0);
      return records.some((r) => serdes.message.deserialize(r.value!).id === messageId);
    }, 10_000);

    expect((await call('/sources.channels.disconnect', { source_id: 'acme', channel_id: channel.json.id }, system)).status).to.equal(204);
    expect((await call('/sources.update', { id: 'acme', name: 'Acme' }, system)).json.name).to.equal('Acme');
    expect((await call('/sources.delete', { id: 'acme' }, system)).status).to.equal(204);
    expect((await call('/sources.delete', { id: 'acme' }, system)).json.code).to.equal('SOURCES_SOURCE_NOT_FOUND');
    expect((await call('/sources.webhook', payload, token)).status).to.equal(403);
  });

  it('has one ingestion door, POST /sources.webhook: 401 SOURCES_TOKEN_MISSING without a token, 403 SOURCES_TOKEN_INVALID for a wrong one; /webhooks/custom is no second door', async () => {
    const system = runtime.systemToken!;
    const token: string = (await call('/sources.create', { id: 'acme' }, system)).json.token;
    await call('/sources.channels.create', { source_id: 'acme', source_channel_id: 'account-1' }, system);
    const payload = { messages: [{ source_message_id: 'm-5', source_conversation_id: 'c-5', source_channel_id: 'account-1', sent_at: 1_700_000_000_000, content: { text: 'hi' }, from_contact: true }] };
    const cases: [string | null, number, string | undefined][] = [
      [null, 401, 'SOURCES_TOKEN_MISSING'],
      [system, 403, 'SOURCES_TOKEN_INVALID'],
      [`${token}x`, 403, 'SOURCES_TOKEN_INVALID'],
      ['psrc.nobody.secret', 403, 'SOURCES_TOKEN_INVALID'],
      [token, 200, undefined],
    ];
    for (const [auth, status, code] of cases) {
      const res = await call('/sources.webhook', payload, auth);
      expect([res.status, res.json.code], String(auth)).to.deep.equal([status, code]);
    }
    for (const auth of [null, token]) expect((await call('/webhooks/custom', payload, auth)).status, String(auth)).to.equal(404);
  });

  it('serves POST /sources.webhook: invalid bodies are 400, a retry answers the same ids, the body is stored as sent', async () => {
    const system = runtime.systemToken!;
    const token: string = (await call('/sources.create', { id: 'acme' }, system)).json.token;
    await call('/sources.channels.create', { source_id: 'acme', source_channel_id: 'account-1' }, system);
    const payload = { messages: [{ source_message_id: 'm-9', source_conversation_id: 'c-9', source_channel_id: 'account-1', sent_at: '2026-11-22T04:00:00Z', content: { text: 'hi' }, from_contact: true }] };

    const bad = await call('/sources.webhook', { messages: [{ ...payload.messages[0], sent_at: 'yesterday' }] }, token);
    expect([bad.status, bad.json.code]).to.deep.equal([400, 'RUNTIME_INVALID_REQUEST']);
    const badKey = await call('/sources.webhook', { metadata: [{ namespace: 'conversation', source_channel_id: 'account-1', source_id: 'c-9', metadata: { 'a..b': 1 } }] }, token);
    expect([badKey.status, badKey.json.code]).to.deep.equal([400, 'SOURCES_INVALID_PAYLOAD']);

    const first = await call('/sources.webhook', payload, token);
    const retry = await call('/sources.webhook', payload, token);
    expect(first.status).to.equal(200);
    expect(retry.json).to.deep.equal(first.json);

    // The route stores the body as sent (the ISO date is not rewritten by validation).
    const raw = await runtime.log.read({ topic: 'source.custom.events', partition: 0 }, 0);
    const bodies = raw.map((r) => r.value!.toString('utf8'));
    expect(bodies).to.deep.equal([JSON.stringify(payload), JSON.stringify(payload)]);
  });

  it('runs the router and connector as streams applications', () => {
    expect([...runtime.apps.keys()].sort()).to.deep.equal(['custom-connector', 'custom-router']);
  });
});
