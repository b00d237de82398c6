import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelId, COMMUNICATION_TOPICS, conversationId, type Channel, type Message } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildFacebookConnectorTopology, FACEBOOK_SENT_MIDS_TOPIC, GraphClient } from '../../src/index.js';

const PAGE = '1111';
const TOKEN = 'EAAG-page-token-of-page-1111';
const serdes = modelSerdes();
const CHANNEL: Channel = { id: channelId('facebook', PAGE), source: 'facebook', sourceChannelId: PAGE, token: TOKEN, connectionState: 'CONNECTED' };
const CONVERSATION = conversationId(CHANNEL.id, 'PSID-1');

/** Graph's Send API for one page: checks path and token as Graph would, answers `{recipient_id, message_id}` (and any profile GET with a first name). */
async function sendApi() {
  const calls: { method: string; url: string; body: any }[] = [];
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      calls.push({ method: req.method!, url: req.url!, body });
      if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'PSID-1', first_name: 'Ada' }));
      const answer = (status: number, json: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.method !== 'POST' || req.url !== `/v21.0/${PAGE}/messages`) return answer(400, { error: { message: `Unknown path components: ${req.url}`, code: 100 } });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return answer(400, { error: { message: 'Invalid OAuth access token', code: 190 } });
      answer(200, { recipient_id: body.recipient.id, message_id: `m_sent_${++next}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describe("Meta > The connectors' shared send step (the Messenger connector against a local Send API)", () => {
  let api: Awaited<ReturnType<typeof sendApi>>;
  let driver: TopologyTestDriver;
  let now: number;
  const message = (over: Partial<Message>): Message => ({
    id: crypto.randomUUID(), headers: null, senderType: 'USER', senderId: 'agent-1', deliveryState: 'PENDING', conversationId: CONVERSATION,
    channelId: CHANNEL.id, source: 'facebook', sourceRecipientId: null, content: '{"text":"It ships tomorrow."}', sentAt: now, updatedAt: null, ...over,
  });
  async function start(channel: Channel = CHANNEL): Promise<void> {
    api = await sendApi();
    now = Date.now();
    const graph = new GraphClient({ baseUrl: api.url, apiVersion: 'v21.0', timeoutMs: 5000, retryDelaysMs: [] });
    driver = await TopologyTestDriver.create(buildFacebookConnectorTopology({ graph, maxOutboundAgeMs: 300_000, serdes }), { startTimeMs: now });
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(channel.id, channel, 1);
  }
  afterEach(async () => {
    await driver?.close();
    await api?.close();
  });
  const pipe = (m: Message) => driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).pipeInputAsync(m.id, m, m.sentAt);
  const outcomes = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readValuesToList().filter((m) => m!.updatedAt !== null).map((m) => m!.deliveryState);
  const errors = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().filter((r) => r!.key === 'error').map((r) => r!.value);
  const sentMids = () => driver.createOutputTopic(FACEBOOK_SENT_MIDS_TOPIC, serdes.key, Serdes.string()).readKeyValuesToList();

  it("sends to the conversation's contact, marks it DELIVERED and records the mid Graph gave it for the router", async () => {
    await start();
    await pipe(message({ senderType: 'CONTACT', senderId: 'PSID-1', deliveryState: 'DELIVERED', sentAt: now - 1000, content: '{"message":{"mid":"m_in","text":"Hi"}}' }));
    const reply = message({});
    await pipe(reply);
    expect(api.calls.filter((c) => c.method === 'POST')).to.deep.equal([{ method: 'POST', url: `/v21.0/${PAGE}/messages`, body: { recipient: { id: 'PSID-1' }, messaging_type: 'RESPONSE', message: { text: 'It ships tomorrow.' } } }]);
    expect(outcomes()).to.deep.equal(['DELIVERED']);
    expect(sentMids()).to.deep.equal([{ key: 'm_sent_1', value: reply.id }]);
  });

  it('fails without a call what is stale, has no recipient or is not a JSON object', async () => {
    await start();
    await pipe(message({ sourceRecipientId: 'PSID-1', sentAt: now - 301_000 }));
    await pipe(message({}));
    await pipe(message({ sourceRecipientId: 'PSID-1', content: '"just text"' }));
    expect(api.calls).to.deep.equal([]);
    expect(outcomes()).to.deep.equal(['FAILED', 'FAILED', 'FAILED']);
    expect(errors()).to.deep.equal([
      'the message is older than 300 s: not sent',
      'cannot start a conversation: Messenger needs the contact to write first',
      'the content must be a Messenger message object such as {"text":"hello"}',
    ]);
    expect(sentMids()).to.deep.equal([]);
  });

  it('fails a message of a disconnected channel without a call', async () => {
    await start({ ...CHANNEL, token: null, connectionState: 'DISCONNECTED' });
    await pipe(message({ sourceRecipientId: 'PSID-1' }));
    expect(api.calls).to.deep.equal([]);
    expect(errors()).to.deep.equal([`channel ${CHANNEL.id} is not a connected Facebook channel`]);
  });
});
