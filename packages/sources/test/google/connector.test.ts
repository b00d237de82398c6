import { expect } from 'chai';
import { COMMUNICATION_TOPICS, conversationId, type Message } from '@parley/schemas';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildGoogleConnectorTopology, fakeGoogleServiceAccount, googleConfigSchema, startFakeBusinessMessages, type FakeBusinessMessages } from '../../src/index.js';
import { GBM_CONVERSATION, GOOGLE_CHANNEL } from './google-fixtures.js';

const serdes = modelSerdes();
const { clientEmail: SERVICE_ACCOUNT_EMAIL, privateKey: SERVICE_ACCOUNT_KEY } = fakeGoogleServiceAccount();
// Real time: the token endpoint checks the assertion's expiry against its own clock, as Google's does.
const NOW = Date.now();
const conversation = conversationId(GOOGLE_CHANNEL.id, GBM_CONVERSATION);
const pending = (id: string, over: Partial<Message> = {}): Message => ({
  id, headers: null, senderType: 'USER', senderId: 'agent', deliveryState: 'PENDING', conversationId: conversation, channelId: GOOGLE_CHANNEL.id,
  source: 'google', sourceRecipientId: null, content: '{"text":"We do!"}', sentAt: NOW, updatedAt: null, ...over,
});
const contact: Message = { ...pending('6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f'), senderType: 'CONTACT', senderId: GBM_CONVERSATION, deliveryState: 'DELIVERED', sentAt: NOW - 1000 };

describe('Google Business Messages > Connector (against a local token endpoint and API)', () => {
  let driver: TopologyTestDriver;
  let fake: FakeBusinessMessages;
  afterEach(async () => {
    await driver?.close();
    await fake?.close();
  });

  async function run(messages: Message[], answers: [number, unknown][] = [], privateKey = SERVICE_ACCOUNT_KEY) {
    fake = await startFakeBusinessMessages();
    fake.answers = answers;
    const config = googleConfigSchema.parse({
      clientToken: 'token', serviceAccount: { clientEmail: SERVICE_ACCOUNT_EMAIL, privateKey, tokenUrl: fake.tokenUrl }, apiUrl: fake.apiUrl, delivery: { retryDelaysMs: [1, 1] },
    }) as any;
    driver = await TopologyTestDriver.create(buildGoogleConnectorTopology({ config, serdes, clock: () => NOW + 1000, persistent: false }));
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(GOOGLE_CHANNEL.id, GOOGLE_CHANNEL, 1);
    const input = driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message);
    for (const m of messages) await input.pipeInputAsync(m.id, m, m.sentAt);
    const out = driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readValuesToList().filter((m): m is Message => m !== null && m.senderType === 'USER' && m.deliveryState !== 'PENDING');
    const meta = driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().map((m) => [m!.key, m!.value]);
    return { out, meta };
  }

  it('gets one service-account token (cached for the next send) and creates messages with our id and the default representative', async () => {
    const a = '7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const b = '8a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const { out } = await run([contact, pending(a), pending(b, { content: '{"text":"Bye","representative":{"representativeType":"BOT"}}' })]);
    expect(out.map((m) => [m.id, m.deliveryState])).to.deep.equal([[a, 'DELIVERED'], [b, 'DELIVERED']]);
    expect(fake.tokensIssued).to.equal(1);
    expect(fake.messages).to.deep.equal([
      { conversation: GBM_CONVERSATION, body: { text: 'We do!', messageId: a, representative: { representativeType: 'HUMAN' } } },
      { conversation: GBM_CONVERSATION, body: { text: 'Bye', messageId: b, representative: { representativeType: 'BOT' } } },
    ]);
  });

  it('marks FAILED with Google\'s error message; retries 429 and 5xx', async () => {
    const failed = await run([contact, pending('7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f')], [[400, { error: { code: 400, message: 'Conversation expired', status: 'FAILED_PRECONDITION' } }]]);
    expect(failed.out.map((m) => m.deliveryState)).to.deep.equal(['FAILED']);
    expect(failed.meta[0]).to.deep.equal(['error', 'Business Messages answered 400: Conversation expired']);
    await driver.close();
    await fake.close();
    const retried = await run([contact, pending('7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f')], [[429, { error: { message: 'quota' } }], [503, { error: { message: 'down' } }]]);
    expect(retried.out.map((m) => m.deliveryState)).to.deep.equal(['DELIVERED']);
    expect(fake.messages).to.have.length(3);
  });

  it('fails when the token endpoint refuses the assertion (a key of another account), and without a call when there is no contact', async () => {
    const other = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    const refused = await run([contact, pending('7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f')], [], other);
    expect(refused.meta[0]![1]).to.match(/^the token endpoint answered 400/);
    expect(fake.messages).to.deep.equal([]);
    await driver.close();
    await fake.close();
    const noContact = await run([pending('7a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f')]);
    expect(noContact.meta[0]![1]).to.match(/^cannot start a conversation/);
    expect(fake.tokensIssued).to.equal(0);
  });
});
