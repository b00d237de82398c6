import { expect } from 'chai';
import { channelId, COMMUNICATION_TOPICS, conversationId, messageId, metadataId, type Channel, type Message, type Metadata } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildTwilioRouterTopology, TWILIO_NAMES, type TwilioDeadLetter, type TwilioNames } from '../../src/index.js';
import { BUSINESS, CONTACT, twilioFixture } from './twilio-fixtures.js';

const serdes = modelSerdes();
const RECEIVED_AT = 1_700_000_100_000;
const SMS = TWILIO_NAMES.sms;
const WA = TWILIO_NAMES.whatsapp;
const channelOf = (names: TwilioNames, state: Channel['connectionState'] = 'CONNECTED'): Channel => {
  const sourceChannelId = `${names.addressPrefix}${BUSINESS}`;
  return { id: channelId(names.source, sourceChannelId), source: names.source, sourceChannelId, token: null, connectionState: state };
};

describe('Twilio > Router topology', () => {
  let driver: TopologyTestDriver;
  let outputs: { messages: () => { key: string | null; value: Message | null }[]; metadata: () => { key: string | null; value: Metadata | null }[]; dead: () => { key: string | null; value: TwilioDeadLetter | null }[] };

  async function start(names: TwilioNames, channels: Channel[], messages: Message[] = []): Promise<void> {
    driver = await TopologyTestDriver.create(buildTwilioRouterTopology(names, { serdes }));
    // Output readers keep their position: each call returns what was written since the last one.
    const m = driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message);
    const md = driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata);
    const d = driver.createOutputTopic(names.deadLetterTopic, serdes.key, Serdes.json<TwilioDeadLetter>());
    outputs = { messages: () => m.readKeyValuesToList(), metadata: () => md.readKeyValuesToList(), dead: () => d.readKeyValuesToList() };
    const channelTopic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) channelTopic.pipeInput(c.id, c, 1);
    const messageTopic = driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message);
    for (const m of messages) messageTopic.pipeInput(m.id, m, 2);
    outputs.messages(); // the seeds are no output
  }
  /** Pipes a message record as the connector would write it; only what the router writes in answer is read back. */
  const pipeMessage = (m: Message, at: number) => {
    driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).pipeInput(m.id, m, at);
    return messages().slice(1);
  };
  const pipeRaw = (names: TwilioNames, key: string | null, body: Buffer, at = RECEIVED_AT) => driver.createInputTopic(names.eventsTopic, serdes.key, serdes.raw).pipeInput(key, body, at);
  const messages = () => outputs.messages();
  const metadata = () => outputs.metadata();
  const deadLetters = (_names: TwilioNames) => outputs.dead();

  afterEach(() => driver?.close());

  it('maps an inbound SMS to a DELIVERED contact message whose id derives from the MessageSid, stamped with the receive time', async () => {
    const channel = channelOf(SMS);
    await start(SMS, [channel]);
    pipeRaw(SMS, 'SM0a1b2c3d4e5f60718293a4b5c6d7e8f9', twilioFixture('sms-inbound.txt'));
    const id = messageId(channel.id, 'SM0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(messages()).to.deep.equal([
      {
        key: id,
        value: {
          id, headers: null, senderType: 'CONTACT', senderId: CONTACT, deliveryState: 'DELIVERED', conversationId: conversationId(channel.id, CONTACT),
          channelId: channel.id, source: 'twilio.sms', sourceRecipientId: null, content: '{"Body":"Hello, is my order on its way?"}', sentAt: RECEIVED_AT, updatedAt: null,
        },
      },
    ]);
    expect(metadata()).to.deep.equal([]);
    expect(deadLetters(SMS)).to.deep.equal([]);
  });

  it('keeps every MediaUrl{N} and MediaContentType{N} of an MMS in order', async () => {
    await start(SMS, [channelOf(SMS)]);
    pipeRaw(SMS, null, twilioFixture('mms-inbound.txt'));
    const [out] = messages();
    const content = JSON.parse(out!.value!.content) as { Body: string; MediaUrl: string[]; MediaContentType: string[] };
    expect(content.Body).to.equal('Receipt attached');
    expect(content.MediaUrl.map((u) => u.slice(-4))).to.deep.equal(['ME01', 'ME02']);
    expect(content.MediaContentType).to.deep.equal(['image/jpeg', 'application/pdf']);
  });

  it('maps a WhatsApp message on the whatsapp: channel and its ProfileName to contact.display_name', async () => {
    const channel = channelOf(WA);
    await start(WA, [channel]);
    pipeRaw(WA, null, twilioFixture('whatsapp-inbound.txt'));
    const conversation = conversationId(channel.id, `whatsapp:${CONTACT}`);
    const [out] = messages();
    expect(out!.value).to.include({ source: 'twilio.whatsapp', senderId: `whatsapp:${CONTACT}`, conversationId: conversation, content: '{"Body":"Hi from WhatsApp"}' });
    const subject = `conversation:${conversation}`;
    expect(metadata()).to.deep.equal([{ key: metadataId(subject, 'contact.display_name'), value: { subject, key: 'contact.display_name', value: 'Ada Lovelace', valueType: 'TEXT', timestamp: RECEIVED_AT } }]);
  });

  it('maps a Twilio retry (the same body again) to the same key and value', async () => {
    await start(SMS, [channelOf(SMS)]);
    pipeRaw(SMS, null, twilioFixture('sms-inbound.txt'));
    pipeRaw(SMS, null, twilioFixture('sms-inbound.txt'));
    const all = messages();
    expect(all).to.have.length(2);
    expect(all[1]).to.deep.equal(all[0]);
  });

  it('sends messages for a disconnected or an unknown channel, and bodies that do not parse, to the dead letters with the reason', async () => {
    await start(SMS, [channelOf(WA), { ...channelOf(SMS), connectionState: 'DISCONNECTED' }]);
    pipeRaw(SMS, null, twilioFixture('sms-inbound.txt'));
    pipeRaw(SMS, null, twilioFixture('inbound-without-from.txt'));
    pipeRaw(SMS, null, Buffer.from('{not json'));
    pipeRaw(SMS, null, twilioFixture('status-delivered.txt'));
    expect(messages()).to.deep.equal([]);
    const letters = deadLetters(SMS).map((l) => [l.key, l.value!.code, l.value!.reason]);
    expect(letters).to.deep.equal([
      ['twilio-sms', 'SOURCES_CHANNEL_NOT_FOUND', `twilio.sms channel ${BUSINESS} is disconnected`],
      ['twilio-sms', 'SOURCES_INVALID_PAYLOAD', 'parameter From is missing'],
      ['twilio-sms', 'SOURCES_INVALID_PAYLOAD', 'the body is neither form parameters nor a JSON object'],
      ['twilio-sms', 'SOURCES_INVALID_PAYLOAD', 'status callback of SM9f8e7d6c5b4a39281706f5e4d3c2b1a0 without ?message_id= in its URL: it names no message of ours'],
    ]);
    driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel).pipeInput(channelOf(SMS).id, null, 3);
    pipeRaw(SMS, null, twilioFixture('sms-inbound.txt'));
    expect(deadLetters(SMS).map((l) => l.value!.reason)).to.deep.equal([`there is no twilio.sms channel ${BUSINESS}`]);
  });

  describe('status callbacks', () => {
    const channel = channelOf(SMS);
    const outbound: Message = {
      id: messageId(channel.id, 'parley-out-1'), headers: null, senderType: 'USER', senderId: 'user-1', deliveryState: 'DELIVERED', conversationId: conversationId(channel.id, CONTACT),
      channelId: channel.id, source: 'twilio.sms', sourceRecipientId: null, content: '{"Body":"It ships tomorrow."}', sentAt: RECEIVED_AT - 5_000, updatedAt: RECEIVED_AT - 4_000,
    };
    const subject = `message:${outbound.id}`;
    const states = () => metadata().filter((r) => r.value!.key === 'source.delivery_state').map((r) => r.value!.value);

    it('write source.delivery_state of the message they name and never become messages', async () => {
      await start(SMS, [channel], [outbound]);
      pipeRaw(SMS, outbound.id, twilioFixture('status-sent.txt'), RECEIVED_AT);
      pipeRaw(SMS, outbound.id, twilioFixture('status-delivered.txt'), RECEIVED_AT + 1);
      expect(messages()).to.deep.equal([]);
      expect(metadata().map((r) => [r.key, r.value!.value, r.value!.timestamp])).to.deep.equal([
        [metadataId(subject, 'source.delivery_state'), 'sent', RECEIVED_AT],
        [metadataId(subject, 'source.delivery_state'), 'delivered', RECEIVED_AT + 1],
      ]);
    });

    it('never move a state backwards when they arrive out of order', async () => {
      await start(SMS, [channel], [outbound]);
      pipeRaw(SMS, outbound.id, twilioFixture('status-read.txt'), RECEIVED_AT);
      pipeRaw(SMS, outbound.id, twilioFixture('status-delivered.txt'), RECEIVED_AT + 1);
      pipeRaw(SMS, outbound.id, twilioFixture('status-sent.txt'), RECEIVED_AT + 2);
      expect(new Set(states())).to.deep.equal(new Set(['read']));
    });

    it('turn the message FAILED with the Twilio error code on undelivered, also when the connector\'s DELIVERED record comes after the callback', async () => {
      await start(SMS, [channel], [{ ...outbound, deliveryState: 'PENDING', updatedAt: null }]);
      pipeRaw(SMS, outbound.id, twilioFixture('status-undelivered.txt'), RECEIVED_AT);
      expect(messages().map((m) => [m.key, m.value!.deliveryState, m.value!.updatedAt])).to.deep.equal([[outbound.id, 'FAILED', RECEIVED_AT]]);
      expect(metadata().find((r) => r.value!.key === 'error')?.value?.value).to.equal('Twilio reported the message undelivered (Twilio error 30006)');
      // The connector's answer lands after the callback: the join turns it FAILED again.
      expect(pipeMessage(outbound, RECEIVED_AT + 10).map((m) => m.value!.deliveryState)).to.deep.equal(['FAILED']);
      // A FAILED record does not trigger another one.
      expect(pipeMessage({ ...outbound, deliveryState: 'FAILED' }, RECEIVED_AT + 11)).to.deep.equal([]);
    });
  });
});
