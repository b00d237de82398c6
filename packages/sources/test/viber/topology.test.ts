import { expect } from 'chai';
import { COMMUNICATION_TOPICS, conversationId, messageId, metadataSubject, type Channel, type Message } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildViberRouterTopology, VIBER_DEAD_LETTER_TOPIC, VIBER_EVENTS_TOPIC, VIBER_MESSAGE_TOKENS_TOPIC, type ViberDeadLetter } from '../../src/index.js';
import { CONTACT, VIBER_CHANNEL, viberFixture } from './viber-fixtures.js';

const serdes = modelSerdes();
const conversation = conversationId(VIBER_CHANNEL.id, CONTACT);
const OUTBOUND: Message = {
  id: '7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', headers: null, senderType: 'USER', senderId: 'agent', deliveryState: 'DELIVERED', conversationId: conversation,
  channelId: VIBER_CHANNEL.id, source: 'viber', sourceRecipientId: null, content: '{"type":"text","text":"Hi"}', sentAt: 1_700_000_004_000, updatedAt: 1_700_000_004_500,
};

describe('Viber > Router topology', () => {
  let driver: TopologyTestDriver;
  afterEach(() => driver?.close());

  async function start(channels: Channel[] = [VIBER_CHANNEL]): Promise<void> {
    driver = await TopologyTestDriver.create(buildViberRouterTopology({ serdes, persistent: false }));
    const topic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) topic.pipeInput(c.id, c, 1);
  }
  const pipe = (name: string, at = 1_700_000_010_000) => driver.createInputTopic(VIBER_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(null as unknown as string, viberFixture(name), at);
  const sent = (token: string, message: Message, at = 1_700_000_004_600) => driver.createInputTopic(VIBER_MESSAGE_TOKENS_TOPIC, serdes.key, Serdes.json<Message>()).pipeInput(token, message, at);
  const messages = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readValuesToList();
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().map((m) => [m!.subject, m!.key, m!.value]);
  const deadLetters = () => driver.createOutputTopic(VIBER_DEAD_LETTER_TOPIC, serdes.key, Serdes.json<ViberDeadLetter>()).readValuesToList();

  it('maps a text message to a DELIVERED contact message keyed by the lossless message_token, content untouched, profile as conversation metadata', async () => {
    await start();
    pipe('message-text.json');
    const id = messageId(VIBER_CHANNEL.id, '5741311803571721087');
    expect(messages()).to.deep.equal([
      {
        id, headers: null, senderType: 'CONTACT', senderId: CONTACT, deliveryState: 'DELIVERED', conversationId: conversation, channelId: VIBER_CHANNEL.id,
        source: 'viber', sourceRecipientId: null, content: viberFixture('message-text.json').toString('utf8'), sentAt: 1_700_000_000_000, updatedAt: null,
      },
    ]);
    const subject = metadataSubject('conversation', conversation);
    expect(metadata()).to.deep.equal([
      [subject, 'contact.display_name', 'John McClane'],
      [subject, 'contact.avatar_url', 'https://avatar.example.com/john.jpg'],
      [subject, 'contact.lang', 'en'],
      [subject, 'contact.country', 'UK'],
    ]);
    expect(deadLetters()).to.deep.equal([]);
  });

  it('maps picture and location messages; a retry of the same callback rewrites the same id', async () => {
    await start();
    pipe('message-picture.json');
    pipe('message-location.json');
    pipe('message-picture.json');
    const ids = messages().map((m) => m!.id);
    expect(ids).to.deep.equal([messageId(VIBER_CHANNEL.id, '5741311803571721088'), messageId(VIBER_CHANNEL.id, '5741311803571721089'), messageId(VIBER_CHANNEL.id, '5741311803571721088')]);
  });

  it('maps conversation_started, subscribed and unsubscribed to conversation metadata only', async () => {
    await start();
    pipe('conversation-started.json');
    pipe('subscribed.json');
    pipe('unsubscribed.json');
    expect(messages()).to.deep.equal([]);
    const subscribed = metadata().filter(([, key]) => key === 'viber.subscribed').map(([, , value]) => value);
    expect(subscribed).to.deep.equal(['false', 'true', 'false']);
  });

  it('maps webhook checks to nothing, and unknown kinds, bad payloads and callbacks without a connected account to dead letters', async () => {
    await start([]);
    pipe('webhook.json');
    pipe('message-text.json');
    driver.createInputTopic(VIBER_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(null as unknown as string, Buffer.from('{oops'), 1_700_000_010_000);
    pipe('unknown-event.json');
    expect(messages()).to.deep.equal([]);
    expect(deadLetters().map((d) => d!.code)).to.deep.equal(['SOURCES_CHANNEL_NOT_FOUND', 'SOURCES_INVALID_PAYLOAD', 'SOURCES_INVALID_PAYLOAD']);
  });

  it('dead-letters callbacks after the channel was disconnected', async () => {
    await start([VIBER_CHANNEL, { ...VIBER_CHANNEL, connectionState: 'DISCONNECTED' }]);
    pipe('message-text.json');
    expect(deadLetters().map((d) => d!.reason)).to.deep.equal([`Viber channel ${VIBER_CHANNEL.id} is disconnected`]);
  });

  it('applies delivered and seen to the message sent with that token, never backwards; a callback before the token waits for it', async () => {
    await start();
    pipe('seen.json'); // before the connector's token record
    expect(metadata()).to.deep.equal([]);
    sent('5741311803571721999', OUTBOUND);
    pipe('delivered.json'); // older than seen: nothing
    const subject = metadataSubject('message', OUTBOUND.id);
    expect(metadata()).to.deep.equal([[subject, 'source.delivery_state', 'seen']]);
    expect(messages()).to.deep.equal([]);
  });

  it('marks the message FAILED with Viber\'s description on failed', async () => {
    await start();
    sent('5741311803571721999', OUTBOUND);
    pipe('failed.json');
    pipe('delivered.json'); // after failed: nothing
    expect(messages()).to.deep.equal([{ ...OUTBOUND, deliveryState: 'FAILED', updatedAt: 1_700_000_005_500 }]);
    const subject = metadataSubject('message', OUTBOUND.id);
    expect(metadata()).to.deep.equal([
      [subject, 'source.delivery_state', 'failed'],
      [subject, 'error', 'failure description'],
    ]);
  });
});
