import { expect } from 'chai';
import { channelId, COMMUNICATION_TOPICS, conversationId, messageId, metadataId, type Channel } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildCustomRouterTopology, CUSTOM_DEAD_LETTER_TOPIC, CUSTOM_EVENTS_TOPIC, type CustomDeadLetter } from '../../src/index.js';
import { fixture } from '../helpers.js';

const serdes = modelSerdes();
const CHANNEL: Channel = { id: channelId('acme', 'account-1'), source: 'acme', sourceChannelId: 'account-1', token: null, connectionState: 'CONNECTED' };
const RECEIVED_AT = 1_700_000_100_000;

describe('Custom > Router topology', () => {
  let driver: TopologyTestDriver;

  async function start(channels: Channel[]): Promise<void> {
    driver = await TopologyTestDriver.create(buildCustomRouterTopology({ serdes }));
    const channelTopic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) channelTopic.pipeInput(c.id, c, 1);
  }
  const pipeRaw = (sourceId: string, body: Buffer) => driver.createInputTopic(CUSTOM_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(sourceId, body, RECEIVED_AT);
  const messages = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readKeyValuesToList();
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readKeyValuesToList();
  const deadLetters = () => driver.createOutputTopic(CUSTOM_DEAD_LETTER_TOPIC, serdes.key, Serdes.json<CustomDeadLetter>()).readKeyValuesToList();

  afterEach(() => driver?.close());

  it('maps a fixture payload to Message and Metadata records with ids derived from the source ids', async () => {
    await start([CHANNEL]);
    pipeRaw('acme', fixture('inbound-messages.json'));
    const conversation = conversationId(CHANNEL.id, 'contact-42');
    expect(messages()).to.deep.equal([
      {
        key: messageId(CHANNEL.id, 'msg-0001'),
        value: {
          id: messageId(CHANNEL.id, 'msg-0001'), headers: null, senderType: 'CONTACT', senderId: 'contact-42', deliveryState: 'DELIVERED', conversationId: conversation,
          channelId: CHANNEL.id, source: 'acme', sourceRecipientId: null, content: '{"text":"Hello, is my order on its way?"}', sentAt: 1_700_000_000_000, updatedAt: null,
        },
      },
      {
        key: messageId(CHANNEL.id, 'msg-0002'),
        value: {
          id: messageId(CHANNEL.id, 'msg-0002'), headers: null, senderType: 'USER', senderId: 'agent-7', deliveryState: 'DELIVERED', conversationId: conversation,
          channelId: CHANNEL.id, source: 'acme', sourceRecipientId: null, content: '{"text":"It ships tomorrow."}', sentAt: Date.parse('2023-11-14T22:13:25.500Z'), updatedAt: null,
        },
      },
    ]);
    const subject = `conversation:${conversation}`;
    expect(metadata()).to.deep.equal([
      { key: metadataId(subject, 'contact.display_name'), value: { subject, key: 'contact.display_name', value: 'Ada Lovelace', valueType: 'TEXT', timestamp: RECEIVED_AT } },
      { key: metadataId(subject, 'priority'), value: { subject, key: 'priority', value: '2', valueType: 'NUMBER', timestamp: RECEIVED_AT } },
    ]);
    expect(deadLetters()).to.deep.equal([]);
  });

  it('maps a replayed payload to the same keys and values', async () => {
    await start([CHANNEL]);
    pipeRaw('acme', fixture('inbound-messages.json'));
    pipeRaw('acme', fixture('inbound-messages.json'));
    const all = messages();
    expect(all).to.have.length(4);
    expect(all.slice(2)).to.deep.equal(all.slice(0, 2));
  });

  it('dead-letters items of unknown or disconnected channels with the reason, and routes the rest', async () => {
    await start([CHANNEL, { ...CHANNEL, id: channelId('acme', 'account-off'), sourceChannelId: 'account-off', connectionState: 'DISCONNECTED' }]);
    pipeRaw('acme', fixture('unknown-channel.json'));
    pipeRaw('acme', Buffer.from(JSON.stringify({ messages: [{ source_message_id: 'm', source_conversation_id: 'c', source_channel_id: 'account-off', sent_at: 5, content: null, from_contact: true }] })));
    // Another source's payload naming acme's account must not reach acme's channel.
    pipeRaw('other', fixture('unknown-channel.json'));
    expect(messages().map((m) => m.value!.id)).to.deep.equal([messageId(CHANNEL.id, 'msg-0100')]);
    const letters = deadLetters();
    expect(letters.map((l) => [l.key, l.value!.code, (l.value!.item as { id: string }).id])).to.deep.equal([
      ['acme', 'SOURCES_CHANNEL_NOT_FOUND', messageId(channelId('acme', 'account-unknown'), 'msg-0101')],
      ['acme', 'SOURCES_CHANNEL_NOT_FOUND', messageId(channelId('acme', 'account-off'), 'm')],
      ['other', 'SOURCES_CHANNEL_NOT_FOUND', messageId(channelId('other', 'account-1'), 'msg-0100')],
      ['other', 'SOURCES_CHANNEL_NOT_FOUND', messageId(channelId('other', 'account-unknown'), 'msg-0101')],
    ]);
    expect(letters[1]!.value!.reason).to.include('disconnected');
  });

  it('dead-letters a payload that does not parse, keeping its text', async () => {
    await start([CHANNEL]);
    pipeRaw('acme', fixture('invalid-sent-at.json'));
    pipeRaw('acme', Buffer.from('{oops'));
    expect(deadLetters().map((l) => [l.value!.code, l.value!.item])).to.deep.equal([
      ['SOURCES_INVALID_PAYLOAD', fixture('invalid-sent-at.json').toString('utf8')],
      ['SOURCES_INVALID_PAYLOAD', '{oops'],
    ]);
    expect(messages()).to.deep.equal([]);
  });

  it('describes a stable topology with named nodes', () => {
    const description = buildCustomRouterTopology({ serdes }).describe().toString();
    for (const name of ['custom-router-parse', 'custom-router-channel-join', 'custom-router-channels']) expect(description).to.include(name);
    expect(buildCustomRouterTopology({ serdes }).describe().toString()).to.equal(description);
  });
});
