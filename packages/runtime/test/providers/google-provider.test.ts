import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { createPlatform, type Runtime } from '../../src/index.js';
import { eventually, forEachBackend, readTestResponse, tempDir, type TestResponse } from '../helpers.js';
import { fakeGoogleServiceAccount, startFakeBusinessMessages, type FakeBusinessMessages } from '@parley/sources';

const CLIENT_TOKEN = 'gbm-client-token-0123456789';
const AGENT = 'acme-agent';
const GBM_CONVERSATION = 'conv-7f3a';
const sign = (body: string) => createHmac('sha512', CLIENT_TOKEN).update(body).digest('base64');
const event = (requestId: string, fields: Record<string, unknown>) =>
  JSON.stringify({ agent: `brands/acme-brand/agents/${AGENT}`, conversationId: GBM_CONVERSATION, requestId, sendTime: new Date().toISOString(), context: { userInfo: { displayName: 'Ada Lovelace' } }, ...fields });

forEachBackend('Providers > Google Business Messages on a started platform', function (backend) {
  this.timeout(60_000);
  let runtime: Runtime;
  let fake: FakeBusinessMessages;

  const post = async (route: string, body: unknown): Promise<TestResponse> =>
    readTestResponse(await fetch(`${runtime.url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.systemToken}` }, body: JSON.stringify(body) }));
  const google = async (body: string, signature: string | null = sign(body)) =>
    readTestResponse(await fetch(`${runtime.url}/webhooks/google`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-goog-signature': signature }) }, body }));
  const messages = async (conversationId: string) => (await post('messages.list', { conversation_id: conversationId, page_size: 100 })).json?.data ?? [];

  beforeEach(async () => {
    fake = await startFakeBusinessMessages();
    runtime = createPlatform(
      {
        dataDir: tempDir('google'),
        log: backend.freshLog(),
        http: { port: 0 },
        sources: { google: { clientToken: CLIENT_TOKEN, serviceAccount: { ...fakeGoogleServiceAccount(), tokenUrl: fake.tokenUrl }, apiUrl: fake.apiUrl } },
      },
      { logging: { level: 'silent' } },
    );
    await runtime.start();
  });
  afterEach(async () => {
    await runtime?.stop();
    await fake?.close();
  });

  it('answers the registration, refuses bad signatures, dead-letters an unknown agent', async () => {
    const registration = await google(JSON.stringify({ clientToken: CLIENT_TOKEN, secret: 'the-secret' }), null);
    expect([registration.status, registration.text]).to.deep.equal([200, 'the-secret']);
    expect((await google(JSON.stringify({ clientToken: 'wrong', secret: 'x' }), null)).status).to.equal(401);
    const body = event('req-1', { message: { messageId: 'm-1', text: 'hi' } });
    expect((await google(body, null)).status).to.equal(401);
    expect((await google(body, sign(`${body} `))).status).to.equal(401);
    expect((await google(body)).status).to.equal(200);
    await eventually(async () => (await runtime.log.read({ topic: 'source.google.dead-letters', partition: 0 }, 0)).some((r) => JSON.parse(r.value!.toString('utf8')).code === 'SOURCES_CHANNEL_NOT_FOUND'), 20_000);
  });

  it('webhook → API (a retry stored once, contact name, live agent → OPEN); messages.send → Business Messages → DELIVERED; a READ receipt → its delivery state', async () => {
    const channel = await post('channels.google.connect', { agent_id: AGENT, name: 'Acme support' });
    expect(channel.status, channel.text).to.equal(201);
    const body = event('req-2', { message: { messageId: 'm-2', text: 'Do you ship to Lisbon?' } });
    expect((await google(body)).status).to.equal(200);
    expect((await google(body)).status).to.equal(200); // Google's retry
    // The message and the contact's name are records of two topics: wait for both.
    let conversation: any;
    await eventually(async () => (conversation = ((await post('conversations.list', {})).json?.data ?? [])[0])?.metadata?.contact?.display_name === 'Ada Lovelace', 20_000);
    expect((await messages(conversation.id)).map((m: any) => m.content.message.text)).to.deep.equal(['Do you ship to Lisbon?']);

    expect((await google(event('req-3', { userStatus: { requestedLiveAgent: true } }))).status).to.equal(200);
    await eventually(async () => ((await post('conversations.list', {})).json?.data ?? [])[0]?.metadata?.state === 'OPEN', 20_000);

    const sent = await post('messages.send', { conversation_id: conversation.id, message: { text: 'We do!' } });
    expect(sent.status, sent.text).to.equal(200);
    const replyId: string = sent.json.id;
    await eventually(async () => (await messages(conversation.id)).find((m: any) => m.id === replyId)?.delivery_state === 'delivered', 20_000);
    expect(fake.messages).to.deep.equal([{ conversation: GBM_CONVERSATION, body: { text: 'We do!', messageId: replyId, representative: { representativeType: 'HUMAN' } } }]);

    const receipt = event('req-4', { receipts: { receipts: [{ message: `conversations/${GBM_CONVERSATION}/messages/${replyId}`, receiptType: 'READ' }], createTime: new Date().toISOString() } });
    expect((await google(receipt)).status).to.equal(200);
    await eventually(async () => (await messages(conversation.id)).find((m: any) => m.id === replyId)?.metadata?.source?.delivery_state === 'read', 20_000);
  });
});
