import { expect } from 'chai';
import { channelId, COMMUNICATION_TOPICS, conversationId, messageId, type Channel, type Message, type Metadata } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildTelegramRouterTopology, TELEGRAM_DEAD_LETTER_TOPIC, TELEGRAM_EVENTS_TOPIC, type TelegramDeadLetter } from '../../src/index.js';
import { BOT_ID, CHAT, telegramFixture } from './telegram-fixtures.js';

const serdes = modelSerdes();
const CHANNEL: Channel = { id: channelId('telegram', BOT_ID), source: 'telegram', sourceChannelId: BOT_ID, token: null, connectionState: 'CONNECTED' };
const CONVERSATION = conversationId(CHANNEL.id, CHAT);

describe('Telegram > Router topology', () => {
  let driver: TopologyTestDriver;
  let read: { messages: () => { key: string | null; value: Message | null }[]; metadata: () => { key: string | null; value: Metadata | null }[]; dead: () => { key: string | null; value: TelegramDeadLetter | null }[] };

  async function start(channels: Channel[]): Promise<void> {
    driver = await TopologyTestDriver.create(buildTelegramRouterTopology(BOT_ID, serdes));
    const m = driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message);
    const md = driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata);
    const d = driver.createOutputTopic(TELEGRAM_DEAD_LETTER_TOPIC, serdes.key, Serdes.json<TelegramDeadLetter>());
    read = { messages: () => m.readKeyValuesToList(), metadata: () => md.readKeyValuesToList(), dead: () => d.readKeyValuesToList() };
    for (const c of channels) driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(c.id, c, 1);
  }
  const pipe = (name: string) => driver.createInputTopic(TELEGRAM_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(null, telegramFixture(name), 1_700_000_400_000);
  afterEach(() => driver?.close());

  it('maps a text message to a DELIVERED contact message (id from chat and message_id, content as received) and the sender name to contact.display_name', async () => {
    await start([CHANNEL]);
    pipe('text.json');
    const raw = JSON.parse(telegramFixture('text.json').toString()) as { message: unknown };
    const id = messageId(CHANNEL.id, `${CHAT}:41`);
    expect(read.messages()).to.deep.equal([
      { key: id, value: { id, headers: null, senderType: 'CONTACT', senderId: CHAT, deliveryState: 'DELIVERED', conversationId: CONVERSATION, channelId: CHANNEL.id, source: 'telegram', sourceRecipientId: null, content: JSON.stringify(raw.message), sentAt: 1_700_000_000_000, updatedAt: null } },
    ]);
    expect(read.metadata().map((r) => [r.value!.subject, r.value!.key, r.value!.value])).to.deep.equal([[`conversation:${CONVERSATION}`, 'contact.display_name', 'Ada Lovelace']]);
  });

  it('keeps photos (every size) with their caption, and documents, in the content', async () => {
    await start([CHANNEL]);
    pipe('photo.json');
    pipe('document.json');
    const [photo, doc] = read.messages().map((r) => JSON.parse(r.value!.content) as Record<string, any>);
    expect([photo!.photo.length, photo!.photo[1].file_id, photo!.caption]).to.deep.equal([2, 'AgACAgQAAxkBAAM-large', 'the damaged box']);
    expect(doc!.document).to.include({ file_name: 'receipt.pdf', mime_type: 'application/pdf' });
  });

  it('maps an edited message to the same record with the new content and updatedAt = edit_date; a retried update to the same key and value', async () => {
    await start([CHANNEL]);
    pipe('text.json');
    pipe('text.json');
    pipe('edited.json');
    const [first, retry, edit] = read.messages();
    expect(retry).to.deep.equal(first);
    expect([edit!.key, edit!.value!.updatedAt, JSON.parse(edit!.value!.content).text]).to.deep.equal([first!.key, 1_700_000_300_000, 'Hello, is my order 1234 on its way?']);
  });

  it('sends group chats, updates without a message, bad JSON and messages of a disconnected or unknown bot to the dead letters with the reason', async () => {
    await start([{ ...CHANNEL, connectionState: 'DISCONNECTED' }]);
    pipe('group.json');
    pipe('callback-query.json');
    driver.createInputTopic(TELEGRAM_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(null, Buffer.from('{"update_id":'), 1);
    pipe('text.json');
    expect(read.messages()).to.deep.equal([]);
    expect(read.dead().map((r) => [r.key, r.value!.code, r.value!.reason.replace(/: .*/s, '')])).to.deep.equal([
      ['telegram', 'SOURCES_INVALID_PAYLOAD', 'update 512340005'],
      ['telegram', 'SOURCES_INVALID_PAYLOAD', 'update 512340006 carries no message (callback_query)'],
      ['telegram', 'SOURCES_INVALID_PAYLOAD', 'the update is not JSON'],
      ['telegram', 'SOURCES_CHANNEL_NOT_FOUND', `telegram bot ${BOT_ID} is disconnected`],
    ]);
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(CHANNEL.id, null, 2);
    pipe('text.json');
    expect(read.dead().map((r) => r.value!.reason)).to.deep.equal([`telegram bot ${BOT_ID} is not connected`]);
  });
});
