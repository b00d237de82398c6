import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelId, COMMUNICATION_TOPICS, conversationId, metadataId, nameBasedUuid, type Channel, type Message } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildWhatsAppRouterTopology, WHATSAPP_DEAD_LETTER_TOPIC, WHATSAPP_EVENTS_TOPIC, WHATSAPP_SENT_TOPIC, whatsappMessageId, type WhatsAppDeadLetter } from '../../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, 'fixtures', name));
const elements = (name: string): unknown[] => JSON.parse(fixture(name).toString('utf8')).entry[0].changes[0].value.messages;

const serdes = modelSerdes();
const PHONE = '106540352242922';
const CHANNEL: Channel = { id: channelId('whatsapp', PHONE), source: 'whatsapp', sourceChannelId: PHONE, token: 'system-user-token', connectionState: 'CONNECTED' };
const CONVERSATION = conversationId(CHANNEL.id, '16505551234');

describe('WhatsApp > Router topology (fixtures of every Cloud API event kind)', () => {
  let driver: TopologyTestDriver;

  async function start(channels: Channel[] = [CHANNEL]): Promise<void> {
    driver = await TopologyTestDriver.create(buildWhatsAppRouterTopology({ serdes }));
    const topic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) topic.pipeInput(c.id, c, 1);
  }
  const pipe = (name: string, at = 1_749_416_500_000, key = PHONE) => driver.createInputTopic(WHATSAPP_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(key, fixture(name), at);
  const messages = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readKeyValuesToList();
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readKeyValuesToList();
  const deadLetters = () => driver.createOutputTopic(WHATSAPP_DEAD_LETTER_TOPIC, serdes.key, Serdes.json<WhatsAppDeadLetter>()).readKeyValuesToList();

  afterEach(() => driver?.close());

  it('maps text, image, location, contacts, interactive and button replies to CONTACT messages with Airy Core\'s ids, and the profile name to the conversation', async () => {
    await start();
    pipe('messages.json');
    const wamids = ['wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', 'wamid.IMAGE1', 'wamid.LOCATION1', 'wamid.CONTACTS1', 'wamid.BUTTON1', 'wamid.TEMPLATEBUTTON1'];
    expect(whatsappMessageId('wamid.IMAGE1')).to.equal(nameBasedUuid('', 'wamid.IMAGE1'));
    expect(messages().map((r) => [r.key, r.value!.senderType, r.value!.senderId, r.value!.conversationId, r.value!.content, r.value!.sentAt, r.value!.headers])).to.deep.equal(
      wamids.map((w, i) => [whatsappMessageId(w), 'CONTACT', '16505551234', CONVERSATION, JSON.stringify(elements('messages.json')[i]), (1_749_416_383 + i) * 1000, i === 4 ? { 'postback.payload': 'unique-postback-id' } : i === 5 ? { 'postback.payload': 'STOP_PROMOTIONS' } : null]),
    );
    const subject = `conversation:${CONVERSATION}`;
    const names = metadata().filter((r) => r.value!.key === 'contact.display_name');
    expect(names).to.have.length(6);
    expect(names[0]).to.deep.equal({ key: metadataId(subject, 'contact.display_name'), value: { subject, key: 'contact.display_name', value: 'Sheena Nelson', valueType: 'TEXT', timestamp: 1_749_416_383_000 } });
  });

  it('writes reactions to the message they name and removes them when the emoji is empty', async () => {
    await start();
    pipe('reaction.json');
    const subject = `message:${whatsappMessageId('wamid.IMAGE1')}`;
    expect(metadata().filter((r) => r.value === null || r.value.subject === subject).map((r) => [r.key, r.value?.value ?? null])).to.deep.equal([
      [metadataId(subject, 'reaction.emoji'), '\u{1F600}'],
      [metadataId(subject, 'reaction.sent_at'), '1749416390000'],
      [metadataId(subject, 'reaction.emoji'), null],
      [metadataId(subject, 'reaction.sent_at'), null],
    ]);
    expect(messages()).to.deep.equal([]);
  });

  it('writes a reaction to a message Parley sent on that message (its wamid in source.whatsapp.sent)', async () => {
    await start();
    const sentId = '33333333-3333-5333-8333-333333333333';
    const sent: Message = {
      id: sentId, headers: null, senderType: 'USER', senderId: 'agent', deliveryState: 'DELIVERED', conversationId: CONVERSATION, channelId: CHANNEL.id,
      source: 'whatsapp', sourceRecipientId: null, content: '{"type":"text","text":{"body":"hi"}}', sentAt: 1_749_416_300_000, updatedAt: 1_749_416_300_500,
    };
    driver.createInputTopic(WHATSAPP_SENT_TOPIC, serdes.key, serdes.message).pipeInput('wamid.IMAGE1', sent, 1_749_416_300_000);
    pipe('reaction.json');
    const subject = `message:${sentId}`;
    expect(metadata().filter((r) => r.value === null || r.value.key.startsWith('reaction.')).map((r) => [r.key, r.value?.value ?? null])).to.deep.equal([
      [metadataId(subject, 'reaction.emoji'), '\u{1F600}'],
      [metadataId(subject, 'reaction.sent_at'), '1749416390000'],
      [metadataId(subject, 'reaction.emoji'), null],
      [metadataId(subject, 'reaction.sent_at'), null],
    ]);
    expect(deadLetters()).to.deep.equal([]);
  });

  it('applies statuses to the outbound message they name: delivered and read as source.delivery_state, failed rewrites it FAILED with the error; unknown ones are dead letters', async () => {
    await start();
    const sent = (id: string): Message => ({
      id, headers: null, senderType: 'USER', senderId: 'agent', deliveryState: 'DELIVERED', conversationId: CONVERSATION, channelId: CHANNEL.id,
      source: 'whatsapp', sourceRecipientId: null, content: '{"type":"text","text":{"body":"hi"}}', sentAt: 1_749_416_399_000, updatedAt: 1_749_416_399_500,
    });
    const sentTopic = driver.createInputTopic(WHATSAPP_SENT_TOPIC, serdes.key, serdes.message);
    sentTopic.pipeInput('wamid.SENT_BY_PARLEY', sent('11111111-1111-5111-8111-111111111111'), 1_749_416_399_000);
    sentTopic.pipeInput('wamid.FAILED_BY_PARLEY', sent('22222222-2222-5222-8222-222222222222'), 1_749_416_399_000);
    pipe('statuses.json');
    const ok = 'message:11111111-1111-5111-8111-111111111111';
    const bad = 'message:22222222-2222-5222-8222-222222222222';
    expect(metadata().map((r) => [r.value!.subject, r.value!.key, r.value!.value])).to.deep.equal([
      [ok, 'source.delivery_state', 'delivered'],
      [ok, 'source.delivery_state', 'read'],
      [bad, 'source.delivery_state', 'failed'],
      [bad, 'error', 'Re-engagement message'],
      [bad, 'source.error', JSON.stringify(JSON.parse(fixture('statuses.json').toString('utf8')).entry[0].changes[0].value.statuses[2].errors)],
    ]);
    expect(messages().map((r) => [r.key, r.value!.deliveryState, r.value!.updatedAt])).to.deep.equal([['22222222-2222-5222-8222-222222222222', 'FAILED', 1_749_416_402_000]]);
    expect(deadLetters().map((l) => [l.key, l.value!.reason])).to.deep.equal([[PHONE, 'status sent of wamid.SENT_ELSEWHERE: Parley sent no message with this id']]);
  });

  it('stores a replayed webhook under the same keys, and dead-letters unknown or disconnected numbers and other objects', async () => {
    await start([CHANNEL, { ...CHANNEL, id: channelId('whatsapp', '999999999999999'), sourceChannelId: '999999999999999', token: null, connectionState: 'DISCONNECTED' }]);
    pipe('messages.json');
    pipe('messages.json');
    const all = messages();
    expect(all.slice(6)).to.deep.equal(all.slice(0, 6));
    pipe('unknown-number.json', 5, '999999999999999');
    driver.createInputTopic(WHATSAPP_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(PHONE, Buffer.from('{"object":"page","entry":[]}'), 6);
    expect(deadLetters().map((l) => [l.key, l.value!.code, l.value!.reason])).to.deep.equal([
      ['999999999999999', 'SOURCES_CHANNEL_NOT_FOUND', 'the channel of phone number id 999999999999999 is disconnected'],
      ['999999999999999', 'SOURCES_CHANNEL_NOT_FOUND', 'the channel of phone number id 999999999999999 is disconnected'],
      [PHONE, 'SOURCES_INVALID_PAYLOAD', 'invalid body at object: Invalid input: expected "whatsapp_business_account"'],
    ]);
  });
});
