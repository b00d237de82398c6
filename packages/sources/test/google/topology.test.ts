import { expect } from 'chai';
import { COMMUNICATION_TOPICS, conversationId, messageId, metadataSubject, type Channel } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildGoogleRouterTopology, GOOGLE_DEAD_LETTER_TOPIC, GOOGLE_EVENTS_TOPIC, type GoogleDeadLetter } from '../../src/index.js';
import { GBM_CONVERSATION, GOOGLE_CHANNEL, googleFixture } from './google-fixtures.js';

const serdes = modelSerdes();
const conversation = conversationId(GOOGLE_CHANNEL.id, GBM_CONVERSATION);
const conversationSubject = metadataSubject('conversation', conversation);

describe('Google Business Messages > Router topology', () => {
  let driver: TopologyTestDriver;
  afterEach(() => driver?.close());

  async function start(channels: Channel[] = [GOOGLE_CHANNEL]): Promise<void> {
    driver = await TopologyTestDriver.create(buildGoogleRouterTopology({ serdes, persistent: false }));
    const topic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) topic.pipeInput(c.id, c, 1);
  }
  const pipe = (name: string | Buffer) => driver.createInputTopic(GOOGLE_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(null as unknown as string, typeof name === 'string' ? googleFixture(name) : name, 1_704_103_200_000);
  const messages = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readValuesToList();
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().map((m) => [m!.subject, m!.key, m!.value]);
  const deadLetters = () => driver.createOutputTopic(GOOGLE_DEAD_LETTER_TOPIC, serdes.key, Serdes.json<GoogleDeadLetter>()).readValuesToList();

  it('maps a user message to a contact message keyed by requestId (a retry rewrites it), content untouched, userInfo → contact name', async () => {
    await start();
    pipe('user-message.json');
    pipe('user-message.json');
    const id = messageId(GOOGLE_CHANNEL.id, 'req-0001');
    const expected = {
      id, headers: null, senderType: 'CONTACT', senderId: GBM_CONVERSATION, deliveryState: 'DELIVERED', conversationId: conversation, channelId: GOOGLE_CHANNEL.id,
      source: 'google', sourceRecipientId: null, content: googleFixture('user-message.json').toString('utf8'), sentAt: Date.parse('2024-01-01T09:59:59.500Z'), updatedAt: null,
    };
    expect(messages()).to.deep.equal([expected, expected]);
    expect(metadata()[0]).to.deep.equal([conversationSubject, 'contact.display_name', 'Ada Lovelace']);
  });

  it('maps a suggestion response to a message with the postback header', async () => {
    await start();
    pipe('suggestion-response.json');
    expect(messages().map((m) => m!.headers)).to.deep.equal([{ 'postback.payload': 'track-order' }]);
  });

  it('maps a live-agent request to conversation state OPEN, typing to nothing, receipts of our messages to their delivery state', async () => {
    await start();
    pipe('live-agent-request.json');
    pipe('typing.json');
    pipe('receipts.json');
    expect(messages()).to.deep.equal([]);
    expect(metadata()).to.deep.equal([
      [conversationSubject, 'state', 'OPEN'],
      [metadataSubject('message', '7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f'), 'source.delivery_state', 'read'],
    ]);
    expect(deadLetters()).to.deep.equal([]);
  });

  it('dead-letters unknown agents, disconnected channels, unmapped kinds and payloads that do not parse', async () => {
    await start([{ ...GOOGLE_CHANNEL, connectionState: 'DISCONNECTED' }]);
    pipe('user-message.json');
    pipe(Buffer.from('{"agent":"brands/b/agents/other","conversationId":"c","requestId":"r","sendTime":"2024-01-01T00:00:00Z","message":{"text":"x"}}'));
    pipe(Buffer.from('not json'));
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(GOOGLE_CHANNEL.id, GOOGLE_CHANNEL, 1_704_103_200_000);
    pipe('survey-response.json');
    expect(messages()).to.deep.equal([]);
    expect(deadLetters().map((d) => [d!.code, d!.reason])).to.deep.equal([
      ['SOURCES_CHANNEL_NOT_FOUND', 'the Google channel of agent acme-agent is disconnected'],
      ['SOURCES_CHANNEL_NOT_FOUND', 'there is no Google channel for agent other'],
      ['SOURCES_INVALID_PAYLOAD', 'the Business Messages event is not JSON'],
      ['SOURCES_INVALID_PAYLOAD', 'a surveyResponse event is not mapped'],
    ]);
  });
});
