import { expect } from 'chai';
import * as crypto from 'node:crypto';
import { channelId, COMMUNICATION_TOPICS, conversationId, type Channel, type Message } from '@parley/schemas';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildTwilioConnectorTopology, FakeTwilioApi, sendForm, TWILIO_NAMES, twilioConfigSchema, type TwilioNames } from '../../src/index.js';
import { ACCOUNT_SID, AUTH_TOKEN, BUSINESS, CONTACT } from './twilio-fixtures.js';

const serdes = modelSerdes();
const PUBLIC_URL = 'https://parley.example/webhooks/twilio-sms';

for (const names of [TWILIO_NAMES.sms, TWILIO_NAMES.whatsapp] as TwilioNames[]) {
  describe(`Twilio > Connector (${names.source}) against a local Messages API`, () => {
    const address = (n: string) => `${names.addressPrefix}${n}`;
    const channel: Channel = { id: channelId(names.source, address(BUSINESS)), source: names.source, sourceChannelId: address(BUSINESS), token: null, connectionState: 'CONNECTED' };
    const conversation = conversationId(channel.id, address(CONTACT));
    let api: FakeTwilioApi;
    let driver: TopologyTestDriver;
    let now: number;

    const message = (over: Partial<Message>): Message => ({
      id: crypto.randomUUID(), headers: null, senderType: 'USER', senderId: 'user-1', deliveryState: 'PENDING', conversationId: conversation,
      channelId: channel.id, source: names.source, sourceRecipientId: null, content: '{"Body":"It ships tomorrow."}', sentAt: now, updatedAt: null, ...over,
    });

    async function start(configOver: Record<string, unknown> = {}, token = AUTH_TOKEN): Promise<void> {
      const config = twilioConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken: token, publicUrl: PUBLIC_URL, apiBaseUrl: api.url, delivery: { timeoutMs: 2_000, retryDelaysMs: [5, 5] }, ...configOver });
      driver = await TopologyTestDriver.create(buildTwilioConnectorTopology(names, { config, serdes }), { startTimeMs: now, partitions: 2 });
      driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(channel.id, channel, 1);
    }
    beforeEach(async () => {
      api = await new FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN).start();
      now = Date.now();
    });
    afterEach(async () => {
      await driver?.close();
      await api.stop();
    });

    const pipe = (m: Message) => driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).pipeInputAsync(m.id, m, m.sentAt);
    const written = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readValuesToList().filter((m) => m!.updatedAt !== null);
    const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readValuesToList().map((m) => [m!.subject, m!.key, m!.value]);

    it('sends a reply to the contact from the channel number with a StatusCallback naming our message, and stores the sid as source.id', async () => {
      await start();
      await pipe(message({ senderType: 'CONTACT', senderId: address(CONTACT), deliveryState: 'DELIVERED', sentAt: now - 1000, content: '{"Body":"hi"}' }));
      const pending = message({});
      await pipe(pending);
      expect(api.messages.map((m) => m.form)).to.deep.equal([
        { Body: 'It ships tomorrow.', To: address(CONTACT), From: address(BUSINESS), StatusCallback: `${PUBLIC_URL}?message_id=${pending.id}` },
      ]);
      expect(written().map((m) => [m!.id, m!.deliveryState])).to.deep.equal([[pending.id, 'DELIVERED']]);
      expect(metadata()).to.deep.equal([[`message:${pending.id}`, 'source.id', api.messages[0]!.sid]]);
    });

    it('addresses a new conversation by sourceRecipientId, sends every MediaUrl, and uses the MessagingServiceSid when configured', async () => {
      await start({ messagingServiceSid: `MG${'a'.repeat(32)}` });
      await pipe(message({ sourceRecipientId: CONTACT, content: JSON.stringify({ Body: 'see', MediaUrl: ['https://cdn.example/a.jpg', 'https://cdn.example/b.jpg'] }) }));
      expect(api.messages.map((m) => [m.form.To, m.form.From, m.form.MessagingServiceSid, m.mediaUrls, m.sid.slice(0, 2)])).to.deep.equal([
        [address(CONTACT), undefined, `MG${'a'.repeat(32)}`, ['https://cdn.example/a.jpg', 'https://cdn.example/b.jpg'], 'MM'],
      ]);
      expect(written().map((m) => m!.deliveryState)).to.deep.equal(['DELIVERED']);
    });

    it('retries a 429 with backoff and then delivers once', async () => {
      await start();
      api.rateLimitNext(2);
      const pending = message({ sourceRecipientId: CONTACT });
      await pipe(pending);
      expect([api.rateLimited, api.messages.length]).to.deep.equal([2, 1]);
      expect(written().map((m) => m!.deliveryState)).to.deep.equal(['DELIVERED']);
    });

    it('marks FAILED with the Twilio error code and message (and the raw answer in source.error) when Twilio refuses', async () => {
      await start();
      const pending = message({ sourceRecipientId: '12345' });
      await pipe(pending);
      expect(written().map((m) => m!.deliveryState)).to.deep.equal(['FAILED']);
      const [error, sourceError] = metadata();
      expect(error).to.deep.equal([`message:${pending.id}`, 'error', `Twilio refused the message (error 21211): The 'To' number ${address('12345')} is not a valid phone number.`]);
      expect(JSON.parse(sourceError![2] as string)).to.include({ code: 21211, status: 400 });
    });

    it('marks FAILED when the auth token is wrong (20003), and when rate limits outlast the retries', async () => {
      await start({}, 'f'.repeat(32));
      await pipe(message({ sourceRecipientId: CONTACT }));
      expect(metadata()[0]![2]).to.equal('Twilio refused the message (error 20003): Authenticate');
      await driver.close();
      await start();
      api.rateLimitNext(5);
      await pipe(message({ sourceRecipientId: CONTACT }));
      expect(api.rateLimited).to.equal(3);
      expect(metadata()[0]![2]).to.equal('Twilio refused the message (error 20429): Too Many Requests');
    });

    it('fails without a call: stale, unknown recipient, malformed content, disconnected channel', async () => {
      await start();
      await pipe(message({ sourceRecipientId: CONTACT, sentAt: now - 301_000 }));
      await pipe(message({}));
      await pipe(message({ sourceRecipientId: CONTACT, content: '{"text":"not Twilio format"}' }));
      driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(channel.id, { ...channel, connectionState: 'DISCONNECTED' }, 2);
      await pipe(message({ sourceRecipientId: CONTACT }));
      expect(api.messages).to.deep.equal([]);
      expect(metadata().map((m) => m[2])).to.deep.equal([
        'the message is older than 300 s: not sent',
        'cannot start a conversation: no source_recipient_id and no message from the contact yet',
        'malformed message: content must be {"Body": string} and/or {"MediaUrl": string | string[]}',
        `${names.source} channel ${channel.id} is not connected`,
      ]);
    });
  });
}

describe('Twilio > sendForm', () => {
  it("takes Airy's send format and nothing else", () => {
    expect(sendForm('{"Body":"hi"}')?.toString()).to.equal('Body=hi');
    expect(sendForm('{"MediaUrl":"https://x.example/a.png"}')?.toString()).to.equal('MediaUrl=https%3A%2F%2Fx.example%2Fa.png');
    for (const bad of ['hi', '[]', '{}', '{"Body":1}', '{"MediaUrl":[1]}', '{"MediaUrl":[]}', 'null']) expect(sendForm(bad), bad).to.equal(null);
  });
});
