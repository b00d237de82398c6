import { expect } from 'chai';
import * as crypto from 'node:crypto';
import { channelId, COMMUNICATION_TOPICS, conversationId, type Channel, type Message } from '@parley/schemas';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildTelegramConnectorTopology, FakeTelegramApi, telegramConfigSchema, telegramSend } from '../../src/index.js';
import { BOT_ID, BOT_TOKEN, CHAT, SECRET_TOKEN } from './telegram-fixtures.js';

const serdes = modelSerdes();
const CHANNEL: Channel = { id: channelId('telegram', BOT_ID), source: 'telegram', sourceChannelId: BOT_ID, token: null, connectionState: 'CONNECTED' };
const CONVERSATION = conversationId(CHANNEL.id, CHAT);

describe('Telegram > Connector against a local Bot API', () => {
  let api: FakeTelegramApi;
  let driver: TopologyTestDriver;
  let now: number;
  const message = (over: Partial<Message>): Message => ({
    id: crypto.randomUUID(), headers: null, senderType: 'USER', senderId: 'user-1', deliveryState: 'PENDING', conversationId: CONVERSATION,
    channelId: CHANNEL.id, source: 'telegram', sourceRecipientId: null, content: '{"text":"It ships tomorrow."}', sentAt: now, updatedAt: null, ...over,
  });
  beforeEach(async () => {
    api = await new FakeTelegramApi(BOT_TOKEN).start();
    api.chats.add(CHAT);
    now = Date.now();
    const config = telegramConfigSchema.parse({ botToken: BOT_TOKEN, secretToken: SECRET_TOKEN, publicUrl: 'https://parley.example/webhooks/telegram', apiBaseUrl: api.url, delivery: { retryDelaysMs: [5, 5] } });
    driver = await TopologyTestDriver.create(buildTelegramConnectorTopology({ config, serdes }), { startTimeMs: now, partitions: 2 });
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(CHANNEL.id, CHANNEL, 1);
  });
  afterEach(async () => {
    await driver.close();
    await api.stop();
  });
  const pipe = (m: Message) => driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).pipeInputAsync(m.id, m, m.sentAt);
  const written = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readValuesToList().filter((m) => m!.updatedAt !== null && m!.senderType !== 'CONTACT');
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().map((m) => [m!.key, m!.value]);

  it('replies to the contact with sendMessage and stores the sent message_id as source.id', async () => {
    await pipe(message({ senderType: 'CONTACT', senderId: CHAT, deliveryState: 'DELIVERED', sentAt: now - 1000 }));
    await pipe(message({}));
    expect(api.calls).to.deep.equal([{ method: 'sendMessage', body: { chat_id: CHAT, text: 'It ships tomorrow.' } }]);
    expect(written().map((m) => m!.deliveryState)).to.deep.equal(['DELIVERED']);
    expect(metadata()).to.deep.equal([['source.id', '1000']]);
  });

  it('sends a photo with its caption to a sourceRecipientId, retrying a 429', async () => {
    api.rateLimitNext(1);
    await pipe(message({ sourceRecipientId: CHAT, content: '{"photo":"https://cdn.example/box.jpg","caption":"your parcel"}' }));
    expect(api.calls.map((c) => c.method)).to.deep.equal(['sendPhoto', 'sendPhoto']);
    expect(api.calls[1]!.body).to.deep.equal({ chat_id: CHAT, photo: 'https://cdn.example/box.jpg', caption: 'your parcel' });
    expect(written().map((m) => m!.deliveryState)).to.deep.equal(['DELIVERED']);
  });

  it("marks FAILED with Telegram's description (chat not found) and the raw answer, and without a call for stale or malformed messages", async () => {
    await pipe(message({ sourceRecipientId: '999' }));
    await pipe(message({ sourceRecipientId: CHAT, sentAt: now - 301_000 }));
    await pipe(message({ sourceRecipientId: CHAT, content: '{"Body":"twilio format"}' }));
    expect(written().map((m) => m!.deliveryState)).to.deep.equal(['FAILED', 'FAILED', 'FAILED']);
    expect(metadata().filter(([k]) => k === 'error').map(([, v]) => v)).to.deep.equal([
      'Telegram refused sendMessage (400): Bad Request: chat not found',
      'the message is older than 300 s: not sent',
      'malformed message: content must be {"text": string} or {"photo": string, "caption"?: string}',
    ]);
    expect(api.calls).to.have.length(1);
  });
});

describe('Telegram > telegramSend', () => {
  it('maps text and photo contents and nothing else', () => {
    expect(telegramSend('{"text":"hi"}', '1')).to.deep.equal({ method: 'sendMessage', body: { chat_id: '1', text: 'hi' } });
    for (const bad of ['hi', '{}', '{"text":""}', '{"text":"a","photo":"b"}', '{"photo":1}', '{"photo":"p","caption":2}']) expect(telegramSend(bad, '1'), bad).to.equal(null);
  });
});
