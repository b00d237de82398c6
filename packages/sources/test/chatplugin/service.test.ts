import { expect } from 'chai';
import { channelId, COMMUNICATION_TOPICS } from '@parley/schemas';
import type { EmbeddedLog } from '@parley/streams/embedded';
import { modelSerdes } from '@parley/communication';
import { CHATPLUGIN_EVENTS_TOPIC, ChatPluginService, parseChatEvent, type SourcesError } from '../../src/index.js';
import { codeOf, openTempLog } from '../helpers.js';

const SECRET = 'chat-plugin-service-secret-0123456789abcd';
const serdes = modelSerdes();

describe('Chatplugin > Service', () => {
  let log: EmbeddedLog;
  let cleanup: () => Promise<void>;
  let service: ChatPluginService;
  let now: number;

  beforeEach(async () => {
    ({ log, cleanup } = await openTempLog('chatplugin'));
    now = 1_700_000_000_000;
    service = new ChatPluginService({ log, secret: SECRET, clock: () => now });
    await service.ensureTopics();
  });
  afterEach(() => cleanup());

  const readAll = async (topic: string) => log.read({ topic, partition: 0 }, 0, { maxRecords: 1000 });

  it('connects a channel with a random source channel id, its id derived from it, and its name and image as metadata', async () => {
    const { value: channel, offsets } = await service.connectChannel({ name: 'Website', imageUrl: 'https://acme.example/logo.png' });
    const other = (await service.connectChannel({ name: 'Website' })).value;
    expect(channel.id).to.equal(channelId('chatplugin', channel.sourceChannelId));
    expect([channel.source, channel.connectionState, channel.token]).to.deep.equal(['chatplugin', 'CONNECTED', null]);
    expect(other.id).to.not.equal(channel.id);
    expect(offsets.map((o) => o.topic).sort()).to.deep.equal([COMMUNICATION_TOPICS.channels.name, COMMUNICATION_TOPICS.metadata.name, COMMUNICATION_TOPICS.metadata.name]);
    const metadata = (await readAll(COMMUNICATION_TOPICS.metadata.name)).map((r) => serdes.metadata.deserialize(r.value!, r.topic)).filter((m) => m.subject === `channel:${channel.id}`);
    expect(metadata.map((m) => [m.key, m.value])).to.deep.equal([['name', 'Website'], ['image_url', 'https://acme.example/logo.png']]);
  });

  it('updates and disconnects only chat plugin channels, idempotently, and then refuses them', async () => {
    const { value: channel } = await service.connectChannel({ name: 'Website' });
    expect((await service.updateChannel({ channelId: channel.id, name: 'Shop' })).offsets).to.have.length(1);
    expect((await service.disconnectChannel(channel.id)).value.connectionState).to.equal('DISCONNECTED');
    expect((await service.disconnectChannel(channel.id)).offsets).to.deep.equal([]);
    expect(await codeOf(service.requireChannel(channel.id))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
    expect((await service.requireChannel(channel.id, { connected: false })).id).to.equal(channel.id);
    expect(await codeOf(service.disconnectChannel(channelId('acme', 'x')))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
    expect(await codeOf(service.startConversation(channel.id))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
  });

  it('starts conversations with new random ids and resumes them with a resume token', async () => {
    const { value: channel } = await service.connectChannel({ name: 'Website' });
    const first = await service.startConversation(channel.id);
    const second = await service.startConversation(channel.id);
    expect(first.conversationId).to.not.equal(second.conversationId);
    expect(first.resumed).to.equal(false);
    const resume = await service.issueResumeToken({ conversationId: first.conversationId, channelId: channel.id });
    const resumed = await service.resumeConversation(resume.token);
    expect([resumed.conversationId, resumed.channelId, resumed.resumed]).to.deep.equal([first.conversationId, channel.id, true]);
    expect((await service.verifyChatToken(resumed.chat.token)).conversationId).to.equal(first.conversationId);
    expect(await codeOf(service.resumeConversation(first.chat.token))).to.equal('SOURCES_TOKEN_INVALID');
    await service.disconnectChannel(channel.id);
    expect(await codeOf(service.resumeConversation(resume.token))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
    expect(await codeOf(service.verifyChatToken(first.chat.token))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
  });

  it('sees channels another process connects at once, and refuses one it disconnected once the view is older than the bound', async () => {
    const other = new ChatPluginService({ log, secret: SECRET, clock: () => now });
    const visitorBefore = await service.startConversation((await service.connectChannel({ name: 'Warm-up' })).value.id);
    expect(visitorBefore.resumed).to.equal(false);
    const { value: channel } = await other.connectChannel({ name: 'Elsewhere' });
    // Unknown in this process's view: read again before refusing.
    const session = await service.startConversation(channel.id);
    await other.disconnectChannel(channel.id);
    // Within the 1 s bound this process may still accept it…
    expect((await service.verifyChatToken(session.chat.token)).channelId).to.equal(channel.id);
    now += 1000;
    // …after it, it reads the log again and refuses.
    expect(await codeOf(service.verifyChatToken(session.chat.token))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
    const strict = new ChatPluginService({ log, secret: SECRET, clock: () => now, channelMaxStalenessMs: 0 });
    expect(await codeOf(strict.startConversation(channel.id))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
  });

  it('appends a send to the events topic keyed by conversation, and answers the message the router will write', async () => {
    const { value: channel } = await service.connectChannel({ name: 'Website' });
    const session = await service.startConversation(channel.id);
    const sent = await service.send(session, { content: { text: 'Hi' }, clientMessageId: 'c-1' });
    const again = await service.send(session, { content: { text: 'Hi' }, clientMessageId: 'c-1' });
    expect(again.value.id).to.equal(sent.value.id);
    const records = await readAll(CHATPLUGIN_EVENTS_TOPIC);
    expect(records.map((r) => r.key!.toString())).to.deep.equal([session.conversationId, session.conversationId]);
    const event = parseChatEvent(records[0]!.value!);
    expect(event).to.deep.equal({ type: 'message', message_id: sent.value.id, conversation_id: session.conversationId, channel_id: channel.id, client_message_id: 'c-1', content: { text: 'Hi' }, sent_at: now });
    expect(sent.value).to.include({ senderType: 'CONTACT', senderId: session.conversationId, deliveryState: 'DELIVERED', source: 'chatplugin', content: '{"text":"Hi"}', sentAt: now });
    expect(sent.offsets).to.deep.equal([{ topic: CHATPLUGIN_EVENTS_TOPIC, partition: 0, offset: 0 }]);
  });

  it('refuses invalid content before writing anything, and sends to a disconnected channel', async () => {
    const { value: channel } = await service.connectChannel({ name: 'Website' });
    const session = await service.startConversation(channel.id);
    expect(await codeOf(service.send(session, { content: 'Hi' }))).to.equal('SOURCES_INVALID_PAYLOAD');
    await service.disconnectChannel(channel.id);
    expect(await codeOf(service.send(session, { content: { text: 'Hi' } }))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
    expect(await readAll(CHATPLUGIN_EVENTS_TOPIC)).to.deep.equal([]);
  });

  it('reports a log that refuses the write as SOURCES_LOG_UNAVAILABLE (retriable)', async () => {
    const { value: channel } = await service.connectChannel({ name: 'Website' });
    const session = await service.startConversation(channel.id);
    const append = log.append.bind(log);
    log.append = async (topic, records) => (topic === CHATPLUGIN_EVENTS_TOPIC ? Promise.reject(new Error('disk full')) : append(topic, records));
    let err: SourcesError | undefined;
    try {
      await service.send(session, { content: { text: 'Hi' } });
    } catch (e) {
      err = e as SourcesError;
    }
    expect([err?.code, err?.retriable]).to.deep.equal(['SOURCES_LOG_UNAVAILABLE', true]);
  });
});
