import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelId, COMMUNICATION_TOPICS, conversationId, messageId, metadataId, type Channel } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildFacebookRouterTopology, FACEBOOK_DEAD_LETTER_TOPIC, FACEBOOK_EVENTS_TOPIC, FACEBOOK_SENT_MIDS_TOPIC, type FacebookDeadLetter } from '../../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, 'fixtures', name));
/** One messaging element of a fixture, re-serialised the way the router stores content. */
const element = (name: string, index: number, field: 'messaging' | 'standby' = 'messaging') => JSON.stringify(JSON.parse(fixture(name).toString('utf8')).entry[0][field][index]);

const serdes = modelSerdes();
const APP_ID = '424242';
const CHANNEL: Channel = { id: channelId('facebook', '1111'), source: 'facebook', sourceChannelId: '1111', token: 'page-token-secret', connectionState: 'CONNECTED' };
const conv = (psid: string) => conversationId(CHANNEL.id, psid);
const mid = (id: string) => messageId(CHANNEL.id, id);

describe('Facebook > Router topology (fixtures of every Messenger event kind)', () => {
  let driver: TopologyTestDriver;

  async function start(channels: Channel[] = [CHANNEL]): Promise<void> {
    driver = await TopologyTestDriver.create(buildFacebookRouterTopology({ appId: APP_ID, serdes }));
    const topic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) topic.pipeInput(c.id, c, 1);
  }
  const pipe = (name: string, key = '1111') => driver.createInputTopic(FACEBOOK_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(key, fixture(name), 1_700_000_100_000);
  const messages = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readKeyValuesToList();
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readKeyValuesToList();
  const deadLetters = () => driver.createOutputTopic(FACEBOOK_DEAD_LETTER_TOPIC, serdes.key, Serdes.json<FacebookDeadLetter>()).readKeyValuesToList();

  afterEach(() => driver?.close());

  it('maps a text message to a CONTACT message keyed by messageId(channel, mid), with Airy Core\'s channel and conversation ids', async () => {
    await start();
    pipe('text-message.json');
    expect(CHANNEL.id).to.equal(channelId('facebook', '1111'));
    expect(messages()).to.deep.equal([
      {
        key: mid('m_text_1'),
        value: {
          id: mid('m_text_1'), headers: null, senderType: 'CONTACT', senderId: 'PSID-1', deliveryState: 'DELIVERED', conversationId: conv('PSID-1'), channelId: CHANNEL.id,
          source: 'facebook', sourceRecipientId: null, content: element('text-message.json', 0), sentAt: 1_700_000_000_000, updatedAt: null,
        },
      },
    ]);
  });

  it('keeps attachments (image, fallback), quick replies and replies-to as content, one message per event', async () => {
    await start();
    pipe('attachments-quick-reply-reply-to.json');
    const out = messages();
    expect(out.map((r) => [r.key, r.value!.senderType, r.value!.content, r.value!.sentAt])).to.deep.equal(
      ['m_img_1', 'm_qr_1', 'm_reply_1', 'm_fallback_1'].map((m, i) => [mid(m), 'CONTACT', element('attachments-quick-reply-reply-to.json', i), 1_700_000_001_000 + i]),
    );
    expect(JSON.parse(out[1]!.value!.content).message.quick_reply).to.deep.equal({ payload: 'COLOR_RED' });
  });

  it('drops the echo of our own app, keeps another app\'s as APP and the page inbox\'s as USER, in the contact\'s conversation', async () => {
    await start();
    pipe('echoes.json');
    expect(messages().map((r) => [r.key, r.value!.senderType, r.value!.senderId, r.value!.conversationId])).to.deep.equal([
      [mid('m_echo_other'), 'APP', '777', conv('PSID-1')],
      [mid('m_echo_inbox'), 'USER', '1111', conv('PSID-1')],
    ]);
  });

  it('turns postbacks and referrals into messages with headers', async () => {
    await start();
    pipe('postback-referral.json');
    const out = messages();
    expect(out.map((r) => [r.key, r.value!.headers])).to.deep.equal([
      [mid('m_postback_1'), { 'postback.payload': 'GET_STARTED', 'postback.title': 'Get Started', 'postback.referral': '{"ref":"summer","source":"SHORTLINK","type":"OPEN_THREAD"}' }],
      [mid(element('postback-referral.json', 1)), { 'postback.payload': '__empty__', 'postback.title': 'Menu' }],
      [mid(element('postback-referral.json', 2)), { 'postback.referral': '{"ref":"ad-7","source":"ADS","type":"OPEN_THREAD","ad_id":"6045"}' }],
    ]);
    expect(out.every((r) => r.value!.conversationId === conv('PSID-2'))).to.equal(true);
  });

  it('writes reactions as metadata of the message they name (emoji decoded) and unreactions as tombstones', async () => {
    await start();
    pipe('reactions.json');
    const subject = `message:${mid('m_text_1')}`;
    expect(metadata()).to.deep.equal([
      { key: metadataId(subject, 'reaction.emoji'), value: { subject, key: 'reaction.emoji', value: '\u2764\uFE0F', valueType: 'TEXT', timestamp: 1_700_000_004_000 } },
      { key: metadataId(subject, 'reaction.sent_at'), value: { subject, key: 'reaction.sent_at', value: '1700000004000', valueType: 'NUMBER', timestamp: 1_700_000_004_000 } },
      { key: metadataId(subject, 'reaction.emoji'), value: null },
      { key: metadataId(subject, 'reaction.sent_at'), value: null },
    ]);
    expect(messages()).to.deep.equal([]);
  });

  it('writes a reaction to a message the connector sent on that Parley message (its mid in source.facebook.sent-mids), as Airy\'s source.id lookup did', async () => {
    await start();
    const sentId = '44444444-4444-5444-8444-444444444444';
    driver.createInputTopic(FACEBOOK_SENT_MIDS_TOPIC, serdes.key, Serdes.string()).pipeInput('m_text_1', sentId, 1_700_000_050_000);
    pipe('reactions.json');
    const subject = `message:${sentId}`;
    expect(metadata().map((r) => [r.key, r.value?.value ?? null])).to.deep.equal([
      [metadataId(subject, 'reaction.emoji'), '\u2764\uFE0F'],
      [metadataId(subject, 'reaction.sent_at'), '1700000004000'],
      [metadataId(subject, 'reaction.emoji'), null],
      [metadataId(subject, 'reaction.sent_at'), null],
    ]);
    expect(deadLetters()).to.deep.equal([]);
  });

  it('routes standby messages like messaging ones; delivery and read watermarks become no message', async () => {
    await start();
    pipe('standby-delivery-read.json');
    expect(messages().map((r) => [r.key, r.value!.content])).to.deep.equal([[mid('m_standby_1'), element('standby-delivery-read.json', 0, 'standby')]]);
    expect(deadLetters()).to.deep.equal([]);
  });

  it('marks the page\'s messages sent before a delivery / read watermark delivered / read, once each', async () => {
    await start();
    const sent = (id: string, sentAt: number, senderType: 'USER' | 'APP' | 'CONTACT' = 'USER') => ({
      id, headers: null, senderType, senderId: 'agent-1', deliveryState: 'DELIVERED' as const, conversationId: conv('PSID-1'), channelId: CHANNEL.id,
      source: 'facebook', sourceRecipientId: null, content: '{"text":"hi"}', sentAt, updatedAt: sentAt + 100,
    });
    const input = driver.createInputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message);
    for (const m of [sent('11111111-1111-5111-8111-111111111111', 1_700_000_004_000), sent('22222222-2222-5222-8222-222222222222', 1_700_000_006_000), sent('33333333-3333-5333-8333-333333333333', 1_700_000_003_000, 'CONTACT')]) {
      input.pipeInput(m.id, m, 1_700_000_090_000);
    }
    messages(); // drop the piped input from the output view
    pipe('standby-delivery-read.json');
    pipe('standby-delivery-read.json');
    expect(metadata().map((r) => [r.value!.subject, r.value!.key, r.value!.value, r.value!.timestamp])).to.deep.equal([
      ['message:11111111-1111-5111-8111-111111111111', 'source.delivery_state', 'delivered', 1_700_000_004_999],
      ['message:11111111-1111-5111-8111-111111111111', 'source.delivery_state', 'read', 1_700_000_004_999],
    ]);
  });

  it('maps a replayed webhook to the same keys and values (a retried delivery is stored once)', async () => {
    await start();
    pipe('text-message.json');
    pipe('text-message.json');
    const all = messages();
    expect(all).to.have.length(2);
    expect(all[1]).to.deep.equal(all[0]);
  });

  it('dead-letters events of unknown or disconnected pages and events that do not parse, with the reason', async () => {
    await start([CHANNEL, { ...CHANNEL, id: channelId('facebook', '2222'), sourceChannelId: '2222', token: null, connectionState: 'DISCONNECTED' }]);
    pipe('unknown-page.json', '9999');
    pipe('bad-event.json');
    driver.createInputTopic(FACEBOOK_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput('2222', Buffer.from(fixture('text-message.json').toString('utf8').replaceAll('1111', '2222')), 5);
    driver.createInputTopic(FACEBOOK_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput('1111', Buffer.from('not json'), 6);
    expect(messages()).to.deep.equal([]);
    const letters = deadLetters().map((l) => [l.key, l.value!.code, l.value!.reason]);
    expect(letters).to.deep.equal([
      ['9999', 'SOURCES_CHANNEL_NOT_FOUND', 'no Facebook channel for page 9999'],
      ['1111', 'SOURCES_INVALID_PAYLOAD', 'message event: timestamp: Invalid input: expected number, received undefined'],
      ['2222', 'SOURCES_CHANNEL_NOT_FOUND', 'the channel of page 2222 is disconnected'],
      ['1111', 'SOURCES_INVALID_PAYLOAD', 'the body is not JSON'],
    ]);
  });
});
