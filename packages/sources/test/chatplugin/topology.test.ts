import { expect } from 'chai';
import { channelId, COMMUNICATION_TOPICS, type Channel } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildChatPluginRouterTopology, CHATPLUGIN_DEAD_LETTER_TOPIC, CHATPLUGIN_EVENTS_TOPIC, chatMessageId, type ChatPluginDeadLetter } from '../../src/index.js';
import { CHAT_CHANNEL, chatFixture, CONVERSATION } from './chatplugin-fixtures.js';

const serdes = modelSerdes();

describe('Chatplugin > Router topology', () => {
  let driver: TopologyTestDriver;

  async function start(channels: Channel[], partitions = 1): Promise<void> {
    driver = await TopologyTestDriver.create(buildChatPluginRouterTopology({ serdes }), { partitions });
    const channelTopic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) channelTopic.pipeInput(c.id, c, 1);
  }
  const pipeRaw = (conversation: string, body: Buffer | string, at = 1_700_000_000_000) =>
    driver.createInputTopic(CHATPLUGIN_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(conversation, Buffer.from(body), at);
  /** The fixture event with fields replaced; its message id follows the (new) client id. */
  const event = (over: Record<string, unknown>) => {
    const e = { ...JSON.parse(chatFixture('message-event.json').toString('utf8')), ...over };
    if (e.client_message_id !== null && !('message_id' in over)) e.message_id = chatMessageId(e.conversation_id, e.client_message_id);
    return Buffer.from(JSON.stringify(e));
  };
  const messages = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readKeyValuesToList();
  const deadLetters = () => driver.createOutputTopic(CHATPLUGIN_DEAD_LETTER_TOPIC, serdes.key, Serdes.json<ChatPluginDeadLetter>()).readKeyValuesToList();

  afterEach(() => driver?.close());

  it('maps an event to a DELIVERED contact message keyed by its id, the sender being the conversation', async () => {
    await start([CHAT_CHANNEL]);
    pipeRaw(CONVERSATION, chatFixture('message-event.json'));
    const id = chatMessageId(CONVERSATION, 'widget-1700000000000-1');
    expect(messages()).to.deep.equal([
      {
        key: id,
        value: {
          id, headers: null, senderType: 'CONTACT', senderId: CONVERSATION, deliveryState: 'DELIVERED', conversationId: CONVERSATION, channelId: CHAT_CHANNEL.id,
          source: 'chatplugin', sourceRecipientId: null, content: '{"text":"Hi! Do you ship to Lisbon?"}', sentAt: 1_700_000_000_000, updatedAt: null,
        },
      },
    ]);
    expect(deadLetters()).to.deep.equal([]);
  });

  it('keeps content as JSON text, nested values included', async () => {
    await start([CHAT_CHANNEL]);
    pipeRaw(CONVERSATION, chatFixture('event-without-client-id.json'));
    expect(JSON.parse(messages()[0]!.value!.content)).to.deep.equal({ text: 'Hello?', attachments: [{ type: 'image', url: 'https://example.com/a.png' }] });
  });

  it('routes a retried send (same client message id, later time and other content) as the first one, so the record does not move', async () => {
    await start([CHAT_CHANNEL], 3);
    pipeRaw(CONVERSATION, chatFixture('message-event.json'));
    pipeRaw(CONVERSATION, event({ sent_at: 1_700_000_009_000, content: { text: 'edited' } }), 1_700_000_009_000);
    const all = messages();
    expect(all).to.have.length(2);
    expect(all[1]).to.deep.equal(all[0]);
    expect(all[0]!.value!.sentAt).to.equal(1_700_000_000_000);
  });

  it('routes two events without client ids as two messages, even with equal times', async () => {
    await start([CHAT_CHANNEL]);
    pipeRaw(CONVERSATION, chatFixture('event-without-client-id.json'));
    pipeRaw(CONVERSATION, event({ client_message_id: null, message_id: '7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', sent_at: 1_700_000_000_000 }));
    expect(messages().map((m) => m.key)).to.deep.equal(['6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', '7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f']);
  });

  it('re-emits (never drops) an event replayed after a crash, though its first-event entry was already stored', async () => {
    driver = await TopologyTestDriver.create(buildChatPluginRouterTopology({ serdes }), { autoCommit: false });
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(CHAT_CHANNEL.id, CHAT_CHANNEL, 1);
    driver.commit();
    pipeRaw(CONVERSATION, chatFixture('message-event.json'));
    await driver.crash({ phase: 'after-flush' });
    // The original output, then the replays (of the raw event and of its repartition record): all the same record.
    const all = messages();
    expect(all.length).to.be.at.least(2);
    for (const m of all) expect(m).to.deep.equal(all[0]);
  });

  it('dead-letters events of unknown, foreign or disconnected channels with the reason', async () => {
    const off: Channel = { ...CHAT_CHANNEL, id: channelId('chatplugin', 'off'), sourceChannelId: 'off', connectionState: 'DISCONNECTED' };
    const foreign: Channel = { id: channelId('acme', 'x'), source: 'acme', sourceChannelId: 'x', token: null, connectionState: 'CONNECTED' };
    await start([CHAT_CHANNEL, off, foreign]);
    pipeRaw(CONVERSATION, event({ channel_id: channelId('chatplugin', 'unknown') }));
    pipeRaw(CONVERSATION, event({ channel_id: off.id, client_message_id: 'b' }));
    pipeRaw(CONVERSATION, event({ channel_id: foreign.id, client_message_id: 'c' }));
    expect(messages()).to.deep.equal([]);
    const letters = deadLetters();
    expect(letters.map((l) => [l.key, l.value!.code, l.value!.conversation_id, (l.value!.item as { channel_id: string }).channel_id])).to.deep.equal([
      [CONVERSATION, 'SOURCES_CHANNEL_NOT_FOUND', CONVERSATION, channelId('chatplugin', 'unknown')],
      [CONVERSATION, 'SOURCES_CHANNEL_NOT_FOUND', CONVERSATION, off.id],
      [CONVERSATION, 'SOURCES_CHANNEL_NOT_FOUND', CONVERSATION, foreign.id],
    ]);
    expect(letters[1]!.value!.reason).to.include('disconnected');
  });

  it('dead-letters an event that does not parse, keeping its text', async () => {
    await start([CHAT_CHANNEL]);
    pipeRaw(CONVERSATION, '{oops');
    pipeRaw(CONVERSATION, event({ conversation_id: 'not-a-uuid', message_id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }));
    // A message id that is not the derivation of its client id could stand in for another message's retry.
    pipeRaw(CONVERSATION, event({ message_id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }));
    const letters = deadLetters();
    expect(letters.map((l) => [l.key, l.value!.code, l.value!.reason.includes('message_id')])).to.deep.equal([
      [CONVERSATION, 'SOURCES_INVALID_PAYLOAD', false],
      [CONVERSATION, 'SOURCES_INVALID_PAYLOAD', false],
      [CONVERSATION, 'SOURCES_INVALID_PAYLOAD', true],
    ]);
    expect(letters[0]!.value!.item).to.equal('{oops');
    expect(messages()).to.deep.equal([]);
  });

  it('describes a stable topology with named nodes', () => {
    const description = buildChatPluginRouterTopology({ serdes }).describe().toString();
    for (const name of ['chatplugin-router-parse', 'chatplugin-router-channel-join', 'chatplugin-router-channels', 'chatplugin-router-first-events']) expect(description).to.include(name);
    expect(buildChatPluginRouterTopology({ serdes }).describe().toString()).to.equal(description);
  });
});
