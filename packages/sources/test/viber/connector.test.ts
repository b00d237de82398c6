import { expect } from 'chai';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { COMMUNICATION_TOPICS, conversationId, type Message } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildViberConnectorTopology, VIBER_MESSAGE_TOKENS_TOPIC } from '../../src/index.js';
import { AUTH_TOKEN, CONTACT, VIBER_CHANNEL } from './viber-fixtures.js';

const serdes = modelSerdes();
const NOW = 1_700_000_000_000;
const conversation = conversationId(VIBER_CHANNEL.id, CONTACT);

/** A local stand-in for chatapi.viber.com: checks the token, path and body as Viber does; `answers` scripts its replies. */
async function fakeViber(answers: ((body: any) => [number, string])[]) {
  const requests: { path: string; token: string | undefined; body: any }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      requests.push({ path: req.url!, token: req.headers['x-viber-auth-token'] as string | undefined, body });
      if (req.headers['x-viber-auth-token'] !== AUTH_TOKEN) return void res.end(JSON.stringify({ status: 2, status_message: 'invalid auth token' }));
      if (req.url !== '/pa/send_message') return void res.writeHead(404).end();
      if (typeof body.receiver !== 'string' || typeof body.type !== 'string' || typeof body.sender?.name !== 'string') return void res.end(JSON.stringify({ status: 3, status_message: 'badData' }));
      const [status, text] = (answers.shift() ?? (() => [200, '{"status":0,"status_message":"ok","message_token":5741311803571721999}']))(body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pa`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const pending = (over: Partial<Message> = {}): Message => ({
  id: '7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', headers: null, senderType: 'USER', senderId: 'agent', deliveryState: 'PENDING', conversationId: conversation,
  channelId: VIBER_CHANNEL.id, source: 'viber', sourceRecipientId: null, content: '{"type":"text","text":"Hi"}', sentAt: NOW, updatedAt: null, ...over,
});
const contactMessage: Message = { ...pending(), id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', senderType: 'CONTACT', senderId: CONTACT, deliveryState: 'DELIVERED', content: '{}', sentAt: NOW - 1000 };

describe('Viber > Connector (against a local Viber API)', () => {
  let driver: TopologyTestDriver;
  let fake: Awaited<ReturnType<typeof fakeViber>>;
  afterEach(async () => {
    await driver?.close();
    await fake?.close();
  });

  async function run(answers: ((body: any) => [number, string])[], messages: Message[], authToken = AUTH_TOKEN) {
    fake = await fakeViber(answers);
    const topology = buildViberConnectorTopology({ config: { authToken, apiUrl: fake.url, sender: { name: 'Acme' }, delivery: { retryDelaysMs: [1, 1] } }, serdes, clock: () => NOW + 1000, persistent: false });
    driver = await TopologyTestDriver.create(topology);
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(VIBER_CHANNEL.id, VIBER_CHANNEL, 1);
    const input = driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message);
    for (const m of messages) await input.pipeInputAsync(m.id, m, m.sentAt);
    const out = driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readValuesToList().filter((m): m is Message => m !== null && m.senderType === 'USER' && m.deliveryState !== 'PENDING');
    const meta = driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().map((m) => [m!.key, m!.value]);
    const tokens = driver.createOutputTopic(VIBER_MESSAGE_TOKENS_TOPIC, serdes.key, Serdes.json<Message>()).readKeyValuesToList().map((kv) => kv.key);
    return { out, meta, tokens };
  }

  it('sends to the contact with the sender and tracking data; DELIVERED with source.id = the lossless token, and the token record', async () => {
    const { out, meta, tokens } = await run([], [contactMessage, pending()]);
    expect(fake.requests).to.have.length(1);
    expect(fake.requests[0]).to.deep.equal({
      path: '/pa/send_message', token: AUTH_TOKEN,
      body: { min_api_version: 1, tracking_data: pending().id, type: 'text', text: 'Hi', receiver: CONTACT, sender: { name: 'Acme' } },
    });
    expect(out.map((m) => m.deliveryState)).to.deep.equal(['DELIVERED']);
    expect(meta).to.deep.equal([['source.id', '5741311803571721999']]);
    expect(tokens).to.deep.equal(['5741311803571721999']);
  });

  it('marks FAILED with status_message when Viber answers a status other than 0', async () => {
    const { out, meta } = await run([() => [200, '{"status":6,"status_message":"notSubscribed"}']], [contactMessage, pending()]);
    expect(out.map((m) => m.deliveryState)).to.deep.equal(['FAILED']);
    expect(meta[0]).to.deep.equal(['error', 'Viber send_message: notSubscribed']);
    expect(meta[1]![0]).to.equal('source.error');
  });

  it('retries HTTP 429 and 5xx, then delivers; status 12 (rate limit) is retried, then FAILED', async () => {
    const { out, meta } = await run([() => [429, ''], () => [503, ''], () => [200, '{"status":0,"message_token":1}']], [contactMessage, pending()]);
    expect(fake.requests).to.have.length(3);
    expect(out.map((m) => m.deliveryState)).to.deep.equal(['DELIVERED']);
    expect(meta).to.deep.equal([['source.id', '1']]);
    await driver.close();
    await fake.close();
    const limited = await run([() => [200, '{"status":12,"status_message":"tooManyRequests"}'], () => [200, '{"status":12,"status_message":"tooManyRequests"}'], () => [200, '{"status":12,"status_message":"tooManyRequests"}']], [contactMessage, pending()]);
    expect(fake.requests).to.have.length(3);
    expect(limited.out.map((m) => m.deliveryState)).to.deep.equal(['FAILED']);
  });

  it('fails without a call: no contact yet, a malformed content, a stale message; a wrong token fails with Viber\'s reason', async () => {
    const noContact = await run([], [pending()]);
    expect(noContact.out.map((m) => m.deliveryState)).to.deep.equal(['FAILED']);
    await driver.close();
    await fake.close();
    const malformed = await run([], [contactMessage, pending({ content: '"just text"' })]);
    expect(malformed.meta[0]![1]).to.match(/^malformed message/);
    await driver.close();
    await fake.close();
    const stale = await run([], [contactMessage, pending({ sentAt: NOW - 400_000 })]);
    expect(stale.meta[0]![1]).to.match(/older than 300 s/);
    expect(fake.requests).to.deep.equal([]);
    await driver.close();
    await fake.close();
    const wrong = await run([], [contactMessage, pending()], 'wrong-token');
    expect(wrong.meta[0]).to.deep.equal(['error', 'Viber send_message: invalid auth token']);
  });
});
