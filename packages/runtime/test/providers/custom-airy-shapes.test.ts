import { expect } from 'chai';
import { forEachBackend } from '../helpers.js';
import { expectError, startPlatform, type TestPlatform } from '../api/communication/platform-fixture.js';

// Airy Core's ids for source `acme-airy`, computed outside Parley (SHA-1 of namespace + name, shaped as a v5 UUID).
const AIRY = {
  channel: '34f4fb31-65f1-58f8-a48a-2a532cedffbe', // ("acme-airy", "account-1")
  conversation: '6547e711-181e-5a58-b974-932f282c702a', // ("acme-airy", "contact-1")
  message: '2e4d0f19-434d-5567-9f6b-41ac0543c8d0', // ("acme-airy", "m-1")
};

forEachBackend("Providers > custom > Airy Core's Source API shapes", function (backend) {
  this.timeout(60_000);
  let p: TestPlatform;
  let sourceToken: string;

  before(async () => {
    p = await startPlatform({}, { log: backend.freshLog() });
  });
  after(() => p.stop());

  const waitFor = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met within 20 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('sources.create takes source_id and then derives ids as Airy did', async () => {
    const res = await p.post('sources.create', { source_id: 'acme-airy', name: 'Acme', action_endpoint: 'http://127.0.0.1:9/actions' });
    expect(res.status, JSON.stringify(res.json)).to.equal(201);
    expect(res.json.source).to.include({ id: 'acme-airy', id_scheme: 'airy' });
    sourceToken = res.json.token;
    const parley = await p.post('sources.create', { id: 'acme-parley' });
    expect(parley.json.source.id_scheme).to.equal('parley');
  });

  it("sources.channels.create takes the source's own token and channel metadata", async () => {
    const res = await p.post('sources.channels.create', { source_channel_id: 'account-1', name: 'Support', metadata: { region: 'eu', name: 'overridden' } }, { token: sourceToken });
    expect(res.status, JSON.stringify(res.json)).to.equal(201);
    expect(res.json).to.include({ id: AIRY.channel, source: 'acme-airy', connected: true });
    await waitFor(async () => (await p.post('channels.info', { channel_id: AIRY.channel })).status === 200);
    const info = await p.post('channels.info', { channel_id: AIRY.channel });
    expect(info.json.metadata).to.include({ region: 'eu', name: 'Support' });
  });

  it('sources.webhook answers and writes Airy ids; metadata items need only namespace and source_id', async () => {
    const payload = {
      messages: [{ source_message_id: 'm-1', source_conversation_id: 'contact-1', source_channel_id: 'account-1', sent_at: '2024-05-01T10:00:00.000Z', content: { text: 'hello' }, from_contact: true }],
      metadata: [{ namespace: 'conversation', source_id: 'contact-1', metadata: { contact: { display_name: 'Ada' } } }],
    };
    const res = await p.post('sources.webhook', payload, { token: sourceToken });
    expect(res.status, JSON.stringify(res.json)).to.equal(200);
    expect(res.json.messages).to.deep.equal([{ source_message_id: 'm-1', message_id: AIRY.message, conversation_id: AIRY.conversation, channel_id: AIRY.channel }]);
    await waitFor(async () => (await p.post('conversations.info', { conversation_id: AIRY.conversation })).json?.metadata?.contact?.display_name === 'Ada');
    const messages = await p.post('messages.list', { conversation_id: AIRY.conversation });
    expect(messages.json.data.map((m: { id: string }) => m.id)).to.deep.equal([AIRY.message]);
  });

  it("sources.channels.disconnect takes the source's own token", async () => {
    const res = await p.post('sources.channels.disconnect', { channel_id: AIRY.channel }, { token: sourceToken });
    expect(res.status, JSON.stringify(res.json)).to.equal(204);
    await waitFor(async () => (await p.post('channels.info', { channel_id: AIRY.channel })).json?.connected === false);
  });

  it("keeps Parley's shapes, and refuses what neither shape allows", async () => {
    expect((await p.post('sources.channels.create', { source_id: 'acme-parley', source_channel_id: 'web' })).status).to.equal(201);
    expectError(await p.post('sources.create', { id: 'both', source_id: 'both' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('sources.create', {}), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('sources.channels.create', { source_channel_id: 'web' }), 400, 'SOURCES_INVALID_PAYLOAD');
    expectError(await p.post('sources.channels.create', { source_id: 'acme-parley', source_channel_id: 'web' }, { token: sourceToken }), 400, 'SOURCES_INVALID_PAYLOAD');
    expectError(await p.post('sources.channels.create', { source_channel_id: 'web', metadata: { 'a.b': 1 } }, { token: sourceToken }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('sources.channels.create', { source_channel_id: 'web' }, { token: `psrc.acme-airy.${'A'.repeat(43)}` }), 403, 'SOURCES_TOKEN_INVALID');
    expectError(await p.post('sources.channels.disconnect', { channel_id: AIRY.channel }, { token: null }), 401, 'RUNTIME_UNAUTHORIZED');
    const parleyToken = (await p.post('sources.create', { id: 'zeta-parley' })).json.token;
    const channelless = { metadata: [{ namespace: 'conversation', source_id: 'contact-1', metadata: { a: 1 } }] };
    expectError(await p.post('sources.webhook', channelless, { token: parleyToken }), 400, 'SOURCES_INVALID_PAYLOAD');
  });
});
