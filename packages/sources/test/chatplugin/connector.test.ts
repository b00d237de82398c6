import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { channelId, COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildChatPluginConnectorTopology, type ChatPluginConnectorOptions } from '../../src/index.js';
import { CHAT_CHANNEL, CONVERSATION } from './chatplugin-fixtures.js';

const serdes = modelSerdes();
const NOW = 1_700_000_500_000;

describe('Chatplugin > Connector', () => {
  let driver: TopologyTestDriver;

  async function start(channels: Channel[], options: ChatPluginConnectorOptions = {}): Promise<void> {
    driver = await TopologyTestDriver.create(buildChatPluginConnectorTopology({ serdes, ...options }), { startTimeMs: NOW, partitions: 2 });
    const topic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) topic.pipeInput(c.id, c, 1);
  }
  afterEach(() => driver?.close());

  const message = (over: Partial<Message> = {}): Message => ({
    id: randomUUID(), headers: null, senderType: 'USER', senderId: 'agent-7', deliveryState: 'PENDING', conversationId: CONVERSATION,
    channelId: CHAT_CHANNEL.id, source: 'chatplugin', sourceRecipientId: null, content: '{"text":"Hello from support"}', sentAt: NOW - 100, updatedAt: null, ...over,
  });
  const pipe = (m: Message) => driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).pipeInputAsync(m.id, m, m.sentAt);
  /** What the connector wrote: the messages topic is also its input, whose records here are all first versions (updatedAt null). */
  const written = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readKeyValuesToList().filter((r) => r.value!.updatedAt !== null);
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().map((m) => [m!.subject, m!.key, m!.value]);

  it('marks a PENDING chat plugin message DELIVERED, updatedAt now, everything else unchanged', async () => {
    await start([CHAT_CHANNEL]);
    const pending = message();
    await pipe(pending);
    expect(written()).to.deep.equal([{ key: pending.id, value: { ...pending, deliveryState: 'DELIVERED', updatedAt: NOW } }]);
    expect(metadata()).to.deep.equal([]);
  });

  it('leaves delivered, failed and other sources\' messages alone (its own output included)', async () => {
    await start([CHAT_CHANNEL]);
    await pipe(message({ deliveryState: 'DELIVERED', senderType: 'CONTACT', senderId: CONVERSATION }));
    await pipe(message({ deliveryState: 'FAILED' }));
    await pipe(message({ source: 'acme', channelId: channelId('acme', 'a') }));
    expect(written()).to.deep.equal([]);
  });

  it('fails a message of a disconnected or unknown channel with an error metadata record', async () => {
    const off = { ...CHAT_CHANNEL, id: channelId('chatplugin', 'off'), sourceChannelId: 'off', connectionState: 'DISCONNECTED' as const };
    await start([CHAT_CHANNEL, off]);
    const toOff = message({ channelId: off.id });
    const toNowhere = message({ channelId: channelId('chatplugin', 'nowhere') });
    await pipe(toOff);
    await pipe(toNowhere);
    expect(written().map((r) => [r.key, r.value!.deliveryState, r.value!.updatedAt])).to.deep.equal([
      [toOff.id, 'FAILED', NOW],
      [toNowhere.id, 'FAILED', NOW],
    ]);
    const errors = metadata();
    expect(errors.map(([subject, key]) => [subject, key])).to.deep.equal([
      [`message:${toOff.id}`, 'error'],
      [`message:${toNowhere.id}`, 'error'],
    ]);
    expect(errors[0]![2]).to.include('disconnected');
  });

  it('asks resolveChannel for a channel the global table does not hold yet', async () => {
    const fresh = { ...CHAT_CHANNEL, id: channelId('chatplugin', 'fresh'), sourceChannelId: 'fresh' };
    const asked: string[] = [];
    await start([], { resolveChannel: async (id) => (asked.push(id), id === fresh.id ? fresh : undefined) });
    const pending = message({ channelId: fresh.id });
    await pipe(pending);
    expect(asked).to.deep.equal([fresh.id]);
    expect(written().map((r) => r.value!.deliveryState)).to.deep.equal(['DELIVERED']);
  });

  it('describes a stable topology with named nodes', () => {
    const description = buildChatPluginConnectorTopology({ serdes }).describe().toString();
    for (const name of ['chatplugin-connector-channels', 'chatplugin-connector-deliver']) expect(description).to.include(name);
    expect(buildChatPluginConnectorTopology({ serdes }).describe().toString()).to.equal(description);
  });
});
