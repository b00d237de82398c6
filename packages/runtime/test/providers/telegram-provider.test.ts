import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelId } from '@parley/schemas';
import { FakeTelegramApi, TELEGRAM_DEAD_LETTER_TOPIC, TELEGRAM_EVENTS_TOPIC } from '@parley/sources';
import { createPlatform, type Runtime } from '../../src/index.js';
import { eventually, forEachBackend, tempDir } from '../helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, '..', '..', '..', 'sources', 'test', 'telegram', 'fixtures', name));
const BOT_TOKEN = '6123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SECRET = 'parley-telegram-secret-0123456789';
const CHAT = '7012345678';
const PUBLIC_URL = 'https://parley.example/webhooks/telegram';

forEachBackend('Providers > Telegram end to end on a started platform', function (backend) {
  this.timeout(60_000);
  let runtime: Runtime;
  let api: FakeTelegramApi;
  afterEach(async () => {
    await runtime?.stop();
    await api?.stop();
  });

  const post = async (route: string, body: unknown) => {
    const res = await fetch(`${runtime.url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
  };
  const update = (body: Buffer, secret = SECRET) => fetch(`${runtime.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body });
  const count = async (topic: string) => (await runtime.log.read({ topic, partition: 0 }, 0)).length;
  const messagesOf = async (conversationId: string) => (await post('messages.list', { conversation_id: conversationId })).json.data as { id: string; delivery_state: string; content: any; metadata: any }[];

  it('connect → setWebhook; update → API once despite a retry, an edit updates it; messages.send → fake Bot API → delivered; unknown bot → dead letter', async () => {
    api = await new FakeTelegramApi(BOT_TOKEN).start();
    api.chats.add(CHAT);
    runtime = createPlatform(
      { dataDir: tempDir('telegram'), log: backend.freshLog(), http: { port: 0 }, auth: { enabled: false }, sources: { telegram: { botToken: BOT_TOKEN, secretToken: SECRET, publicUrl: PUBLIC_URL, apiBaseUrl: api.url, delivery: { retryDelaysMs: [20] } } } },
      { logging: { level: 'silent' }, communication: { conversationWaitMs: 500 } },
    );
    await runtime.start();

    // An update before the bot is connected goes to the dead letters.
    expect((await update(fixture('photo.json'))).status).to.equal(200);
    await eventually(async () => (await count(TELEGRAM_DEAD_LETTER_TOPIC)) === 1, 20_000);

    const connected = await post('channels.telegram.connect', {});
    expect([connected.status, connected.json]).to.deep.equal([201, { id: channelId('telegram', '6123456789'), source: 'telegram', source_channel_id: '6123456789', connected: true, name: '@parley_test_bot' }]);
    expect(api.webhook).to.deep.equal({ url: PUBLIC_URL, secretToken: SECRET, allowedUpdates: ['message', 'edited_message'] });

    expect((await update(fixture('text.json'), 'wrong')).status).to.equal(401);
    for (let i = 0; i < 2; i++) expect((await update(fixture('text.json'))).status).to.equal(200); // Telegram's retry
    await eventually(async () => (await count(TELEGRAM_EVENTS_TOPIC)) === 3, 20_000);
    await eventually(async () => (await post('conversations.list', {})).json.data.length === 1, 20_000);
    const conversation = (await post('conversations.list', {})).json.data[0] as { id: string; metadata: any };
    await eventually(async () => (await messagesOf(conversation.id)).length === 1, 20_000);

    expect((await update(fixture('edited.json'))).status).to.equal(200);
    await eventually(async () => (await messagesOf(conversation.id))[0]?.content.text === 'Hello, is my order 1234 on its way?', 20_000);
    expect(await messagesOf(conversation.id)).to.have.length(1);

    const sent = await post('messages.send', { conversation_id: conversation.id, message: { text: 'It ships tomorrow.' } });
    expect(sent.status).to.equal(200);
    // The DELIVERED record and its source.id metadata travel on two topics: wait for both.
    await eventually(async () => {
      const delivered = (await messagesOf(conversation.id)).find((m) => m.id === sent.json.id);
      return delivered?.delivery_state === 'delivered' && delivered.metadata.source?.id === '1000';
    }, 20_000).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify((await messagesOf(conversation.id)).find((m) => m.id === sent.json.id))} calls ${JSON.stringify(api.calls.map((c) => c.method))}`);
    });
    expect(api.calls.filter((c) => c.method === 'sendMessage').map((c) => c.body)).to.deep.equal([{ chat_id: CHAT, text: 'It ships tomorrow.' }]);

    expect((await post('channels.telegram.disconnect', {})).status).to.equal(204);
    expect(api.webhook).to.equal(null);
  });

  it('answers 502 SOURCES_DELIVERY_FAILED with the description when the Bot API refuses the token', async () => {
    api = await new FakeTelegramApi('6123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').start();
    runtime = createPlatform(
      { dataDir: tempDir('telegram-bad'), log: backend.freshLog(), http: { port: 0 }, auth: { enabled: false }, sources: { telegram: { botToken: BOT_TOKEN, secretToken: SECRET, publicUrl: PUBLIC_URL, apiBaseUrl: api.url } } },
      { logging: { level: 'silent' } },
    );
    await runtime.start();
    const refused = await post('channels.telegram.connect', {});
    expect([refused.status, refused.json.code, refused.json.message]).to.deep.equal([502, 'SOURCES_DELIVERY_FAILED', 'Telegram refused getMe (401): Unauthorized']);
  });
});
