import { expect } from 'chai';
import { createPlatform, type Runtime } from '../../src/index.js';
import { eventually, forEachBackend, readTestResponse, tempDir, type TestResponse } from '../helpers.js';
import { startFakeViber, VIBER_ACCOUNT, VIBER_TOKEN, type FakeViber } from './fake-viber.js';

const CONTACT = '01234567890A=';
const inbound = (token: string, text: string, timestamp = Date.now()) =>
  `{"event":"message","timestamp":${timestamp},"chat_hostname":"SN-376_","message_token":${token},"sender":{"id":"${CONTACT}","name":"John McClane","avatar":"https://avatar.example.com/john.jpg"},"message":{"type":"text","text":"${text}"}}`;
const status = (event: string, token: string, timestamp: number) => `{"event":"${event}","timestamp":${timestamp},"chat_hostname":"SN-376_","message_token":${token},"user_id":"${CONTACT}"}`;

forEachBackend('Providers > Viber on a started platform', function (backend) {
  this.timeout(60_000);
  let runtime: Runtime;
  let fake: FakeViber;

  const post = async (route: string, body: unknown): Promise<TestResponse> =>
    readTestResponse(await fetch(`${runtime.url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.systemToken}` }, body: JSON.stringify(body) }));
  const deadLetters = async () => (await runtime.log.read({ topic: 'source.viber.dead-letters', partition: 0 }, 0)).map((r) => JSON.parse(r.value!.toString('utf8')));
  const conversations = async () => (await post('conversations.list', {})).json?.data ?? [];
  const messages = async (conversationId: string) => (await post('messages.list', { conversation_id: conversationId, page_size: 100 })).json?.data ?? [];

  beforeEach(async () => {
    fake = await startFakeViber();
    runtime = createPlatform(
      {
        dataDir: tempDir('viber'),
        log: backend.freshLog(),
        http: { port: 0 },
        sources: { viber: { authToken: VIBER_TOKEN, webhookUrl: fake.webhookUrl, apiUrl: fake.apiUrl, sender: { name: 'Acme' }, delivery: { retryDelaysMs: [10] } } },
      },
      { logging: { level: 'silent' } },
    );
    await runtime.start();
    fake.target = runtime.url;
  });
  afterEach(async () => {
    await runtime?.stop();
    await fake?.close();
  });

  it('dead-letters callbacks before a channel is connected; connect sets the webhook (Viber\'s check answered 200) and writes the channel', async () => {
    expect((await fake.callback(inbound('5741311803571720001', 'too early'))).status).to.equal(200);
    await eventually(async () => (await deadLetters()).some((d) => d.code === 'SOURCES_CHANNEL_NOT_FOUND'), 20_000);

    const connected = await post('channels.viber.connect', {});
    expect([connected.status, connected.json]).to.deep.equal([
      201,
      { id: connected.json.id, source: 'viber', source_channel_id: VIBER_ACCOUNT, name: 'Acme bot', image_url: 'https://media.example.com/acme.png', connected: true },
    ]);
    expect(fake.calls.map((c) => c.method)).to.deep.equal(['get_account_info', 'set_webhook']);
    expect(fake.calls[1]!.body).to.deep.include({ url: fake.webhookUrl, send_name: true, send_photo: true });

    const disconnected = await post('channels.viber.disconnect', { channel_id: connected.json.id });
    expect(disconnected.status).to.equal(204);
    expect(fake.calls.at(-1)).to.deep.equal({ method: 'set_webhook', body: { url: '' } });
    expect((await post('channels.viber.disconnect', { channel_id: '3c4d5e6f-7a8b-5c9d-8e0f-1a2b3c4d5e6f' })).status).to.equal(404);
  });

  it('refuses unsigned or altered callbacks with 401 and a bad payload with 400; connect answers 502 when Viber refuses', async () => {
    const body = inbound('5741311803571720002', 'hi');
    const unsigned = await fetch(fake.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).to.equal(401);
    expect((await fake.callback(body, 'ab'.repeat(32))).status).to.equal(401);
    const bad = await fake.callback('{"event":"message","timestamp":1}');
    expect([bad.status, JSON.parse(bad.text).code]).to.deep.equal([400, 'SOURCES_INVALID_PAYLOAD']);
    expect(await runtime.log.read({ topic: 'source.viber.events', partition: 0 }, 0)).to.deep.equal([]);

    fake.webhookUrl = fake.webhookUrl.replace('/webhooks/viber', '/webhooks/nowhere'); // the check callback now gets 404
    await runtime.stop();
    runtime = createPlatform(
      { dataDir: tempDir('viber-bad'), log: backend.freshLog(), http: { port: 0 }, sources: { viber: { authToken: VIBER_TOKEN, webhookUrl: fake.webhookUrl, apiUrl: fake.apiUrl } } },
      { logging: { level: 'silent' } },
    );
    await runtime.start();
    fake.target = runtime.url;
    const refused = await post('channels.viber.connect', {});
    expect([refused.status, refused.json.code, refused.json.message]).to.deep.equal([502, 'SOURCES_PROVIDER_API_FAILED', 'Viber set_webhook: invalidUrl']);
  });

  it('webhook → API (a duplicate stored once); messages.send → Viber → DELIVERED; delivered/seen callbacks → that message\'s delivery state', async () => {
    const channel = (await post('channels.viber.connect', { name: 'Support' })).json;
    const body = inbound('5741311803571720003', 'Do you ship to Lisbon?');
    expect((await fake.callback(body)).status).to.equal(200);
    expect((await fake.callback(body)).status).to.equal(200); // Viber's retry

    let conversation: any;
    // The message and the contact's name are records of two topics: wait for both.
    await eventually(async () => {
      conversation = (await conversations()).find((c: any) => c.channel.id === channel.id);
      return conversation?.metadata?.contact?.display_name === 'John McClane';
    }, 20_000);
    expect((await runtime.log.read({ topic: 'source.viber.events', partition: 0 }, 0)).length).to.be.at.least(2);
    const inboundList = await messages(conversation.id);
    expect(inboundList.map((m: any) => [m.from_contact, m.delivery_state, m.content.message.text])).to.deep.equal([[true, 'delivered', 'Do you ship to Lisbon?']]);

    const sent = await post('messages.send', { conversation_id: conversation.id, message: { type: 'text', text: 'We do!' } });
    expect(sent.status, sent.text).to.equal(200);
    const replyId: string = sent.json.id;
    let reply: any;
    await eventually(async () => {
      reply = (await messages(conversation.id)).find((m: any) => m.id === replyId);
      return reply?.delivery_state === 'delivered' && reply.metadata?.source?.id !== undefined;
    }, 20_000);
    const send = fake.calls.find((c) => c.method === 'send_message')!;
    expect(send.body).to.deep.equal({ min_api_version: 1, tracking_data: replyId, type: 'text', text: 'We do!', receiver: CONTACT, sender: { name: 'Acme' } });
    expect(reply.metadata.source.id).to.equal(fake.tokens[0]);

    const at = Date.now();
    expect((await fake.callback(status('seen', fake.tokens[0]!, at + 2))).status).to.equal(200);
    expect((await fake.callback(status('delivered', fake.tokens[0]!, at + 1))).status).to.equal(200); // late: never backwards
    await eventually(async () => (await messages(conversation.id)).find((m: any) => m.id === replyId)?.metadata?.source?.delivery_state === 'seen', 20_000);
  });

  it('a failed callback marks the sent message FAILED with Viber\'s description', async () => {
    await post('channels.viber.connect', {});
    expect((await fake.callback(inbound('5741311803571720004', 'hello'))).status).to.equal(200);
    let conversation: any;
    await eventually(async () => (conversation = (await conversations())[0]) !== undefined, 20_000);
    const replyId: string = (await post('messages.send', { conversation_id: conversation.id, message: { type: 'text', text: 'Hi' } })).json.id;
    await eventually(async () => fake.tokens.length === 1, 20_000);
    expect((await fake.callback(`{"event":"failed","timestamp":${Date.now()},"message_token":${fake.tokens[0]},"user_id":"${CONTACT}","desc":"receiver has no suitable device"}`)).status).to.equal(200);
    await eventually(async () => {
      const m = (await messages(conversation.id)).find((x: any) => x.id === replyId);
      return m?.delivery_state === 'failed' && m.metadata.error === 'receiver has no suitable device';
    }, 20_000);
  });
});
