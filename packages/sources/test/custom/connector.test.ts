import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelId, COMMUNICATION_TOPICS, conversationId, type Channel, type Message, type Source } from '@parley/schemas';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildCustomConnectorTopology, generateSourceToken, hashSourceToken, signingSecretOf } from '../../src/index.js';

const serdes = modelSerdes();
const CHANNEL: Channel = { id: channelId('acme', 'account-1'), source: 'acme', sourceChannelId: 'account-1', token: null, connectionState: 'CONNECTED' };
const CONVERSATION = conversationId(CHANNEL.id, 'contact-42');

type Mode = 'ok' | 'fail' | 'hang';

/** The integrator's action endpoint: verifies each request the way a Standard Webhooks receiver does. */
async function startReceiver(signingSecret: string) {
  const key = Buffer.from(signingSecret.replace(/^whsec_/, ''), 'base64');
  const received: { id: string; verified: boolean; body: any }[] = [];
  let mode: Mode = 'ok';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const id = String(req.headers['webhook-id']);
      const ts = String(req.headers['webhook-timestamp']);
      const expected = crypto.createHmac('sha256', key).update(`${id}.${ts}.`).update(raw).digest();
      const given = String(req.headers['webhook-signature']).split(' ').map((s) => Buffer.from(s.replace(/^v1,/, ''), 'base64'));
      const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
      const verified = fresh && given.some((g) => g.length === expected.length && crypto.timingSafeEqual(g, expected));
      received.push({ id, verified, body: JSON.parse(raw.toString('utf8')) });
      if (!verified) return void res.writeHead(401).end();
      if (mode === 'hang') return; // never answers
      if (mode === 'fail') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"upstream down"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ source_message_id: `ext-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/actions`,
    received,
    setMode: (m: Mode) => void (mode = m),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('Custom > Connector', function () {
  this.timeout(10_000);
  let driver: TopologyTestDriver;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let now: number;

  const message = (over: Partial<Message>): Message => ({
    id: crypto.randomUUID(), headers: null, senderType: 'USER', senderId: 'user-1', deliveryState: 'PENDING', conversationId: CONVERSATION,
    channelId: CHANNEL.id, source: 'acme', sourceRecipientId: null, content: '{"text":"hi"}', sentAt: now, updatedAt: null, ...over,
  });

  beforeEach(async () => {
    const hash = hashSourceToken(generateSourceToken('acme'));
    receiver = await startReceiver(signingSecretOf(hash));
    now = Date.now();
    const source: Source = { id: 'acme', token: hash, name: null, imageUrl: null, actionEndpoint: receiver.url, idScheme: 'PARLEY', createdAt: 0 };
    driver = await TopologyTestDriver.create(buildCustomConnectorTopology({ serdes, timeoutMs: 300, retryDelaysMs: [10, 10] }), { startTimeMs: now, partitions: 2 });
    driver.createInputTopic(COMMUNICATION_TOPICS.sources.name, serdes.key, serdes.source).pipeInput('acme', source, 1);
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(CHANNEL.id, CHANNEL, 1);
  });
  afterEach(async () => {
    await driver.close();
    await receiver.close();
  });

  const pipe = (m: Message) => driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).pipeInputAsync(m.id, m, m.sentAt);
  const written = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readValuesToList().filter((m) => m!.updatedAt !== null);
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().map((m) => [m!.subject, m!.key, m!.value]);

  it('POSTs a signed message.send to the action endpoint and marks the message DELIVERED with source.id', async () => {
    await pipe(message({ senderType: 'CONTACT', senderId: 'contact-42', deliveryState: 'DELIVERED', sentAt: now - 1000 }));
    const pending = message({});
    await pipe(pending);
    expect(receiver.received.map((r) => [r.id, r.verified])).to.deep.equal([[pending.id, true]]);
    expect(receiver.received[0]!.body).to.deep.include({ type: 'message.send' });
    expect(receiver.received[0]!.body.data).to.deep.equal({
      message: { id: pending.id, content: { text: 'hi' }, sent_at: new Date(now).toISOString(), source_recipient_id: null },
      conversation: { id: CONVERSATION, channel_id: CHANNEL.id, source_channel_id: 'account-1', source_conversation_id: 'contact-42' },
    });
    expect(written().map((m) => [m!.id, m!.deliveryState])).to.deep.equal([[pending.id, 'DELIVERED']]);
    expect(metadata()).to.deep.equal([[`message:${pending.id}`, 'source.id', 'ext-1']]);
  });

  it('addresses a new conversation by its sourceRecipientId', async () => {
    const pending = message({ sourceRecipientId: '+4915100000', conversationId: conversationId(CHANNEL.id, '+4915100000') });
    await pipe(pending);
    expect(receiver.received[0]!.body.data.conversation.source_conversation_id).to.equal('+4915100000');
    expect(written().map((m) => m!.deliveryState)).to.deep.equal(['DELIVERED']);
  });

  it('retries a 500 a bounded number of times with the same webhook-id, then marks FAILED with the error', async () => {
    receiver.setMode('fail');
    const pending = message({ sourceRecipientId: 'contact-42' });
    await pipe(pending);
    expect(receiver.received.map((r) => [r.id, r.verified])).to.deep.equal([[pending.id, true], [pending.id, true], [pending.id, true]]);
    expect(written().map((m) => m!.deliveryState)).to.deep.equal(['FAILED']);
    expect(metadata()).to.deep.equal([
      [`message:${pending.id}`, 'error', 'upstream down'],
      [`message:${pending.id}`, 'source.error', '{"error":"upstream down"}'],
    ]);
  });

  it('marks FAILED when the endpoint does not answer in time', async () => {
    receiver.setMode('hang');
    await pipe(message({ sourceRecipientId: 'contact-42' }));
    expect(receiver.received).to.have.length(3);
    expect(written().map((m) => m!.deliveryState)).to.deep.equal(['FAILED']);
    expect(metadata()[0]![2]).to.include('did not answer within 300 ms');
  });

  it('fails messages older than 300 s without calling the endpoint', async () => {
    await pipe(message({ sourceRecipientId: 'contact-42', sentAt: now - 300_001 }));
    expect(receiver.received).to.deep.equal([]);
    expect(written().map((m) => m!.deliveryState)).to.deep.equal(['FAILED']);
  });

  it('fails a reply to a conversation without a recipient, and ignores built-in sources and delivered messages', async () => {
    await pipe(message({}));
    await pipe(message({ source: 'facebook' }));
    await pipe(message({ deliveryState: 'DELIVERED', sourceRecipientId: 'x' }));
    expect(receiver.received).to.deep.equal([]);
    expect(written().map((m) => m!.deliveryState)).to.deep.equal(['FAILED']);
    expect(metadata()[0]![2]).to.include('cannot start a conversation');
  });
});
