import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelId, COMMUNICATION_TOPICS, conversationId, messageId, metadataId, type Channel } from '@parley/schemas';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { modelSerdes } from '@parley/communication';
import { buildInstagramRouterTopology, INSTAGRAM_DEAD_LETTER_TOPIC, INSTAGRAM_EVENTS_TOPIC, INSTAGRAM_SENT_MIDS_TOPIC, type InstagramDeadLetter } from '../../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, 'fixtures', name));
const element = (name: string, index: number) => JSON.stringify(JSON.parse(fixture(name).toString('utf8')).entry[0].messaging[index]);

const serdes = modelSerdes();
const ACCOUNT = '17841400000000001';
const CHANNEL: Channel = { id: channelId('instagram', ACCOUNT), source: 'instagram', sourceChannelId: ACCOUNT, token: 'page-token', connectionState: 'CONNECTED' };
const mid = (id: string) => messageId(CHANNEL.id, id);

describe('Instagram > Router topology (fixtures of every event kind)', () => {
  let driver: TopologyTestDriver;

  async function start(channels: Channel[] = [CHANNEL]): Promise<void> {
    driver = await TopologyTestDriver.create(buildInstagramRouterTopology({ serdes }));
    const topic = driver.createInputTopic(COMMUNICATION_TOPICS.channels.name, serdes.key, serdes.channel);
    for (const c of channels) topic.pipeInput(c.id, c, 1);
  }
  const pipe = (name: string, at = 1_700_000_100_000, key = ACCOUNT) => driver.createInputTopic(INSTAGRAM_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(key, fixture(name), at);
  const messages = () => driver.createOutputTopic(COMMUNICATION_TOPICS.messages.name, serdes.key, serdes.message).readKeyValuesToList();
  const metadata = () => driver.createOutputTopic(COMMUNICATION_TOPICS.metadata.name, serdes.key, serdes.metadata).readKeyValuesToList();
  const deadLetters = () => driver.createOutputTopic(INSTAGRAM_DEAD_LETTER_TOPIC, serdes.key, Serdes.json<InstagramDeadLetter>()).readKeyValuesToList();

  afterEach(() => driver?.close());

  it('maps text, image, story reply and quick reply to CONTACT messages keyed by messageId(channel, mid), content untouched', async () => {
    await start();
    pipe('text-and-media.json');
    expect(messages().map((r) => [r.key, r.value!.senderType, r.value!.senderId, r.value!.conversationId, r.value!.content, r.value!.sentAt, r.value!.source])).to.deep.equal(
      ['aWdfZAG1text1', 'aWdfZAG1image1', 'aWdfZAG1story1', 'aWdfZAG1qr1'].map((m, i) => [mid(m), 'CONTACT', 'IGSID-1', conversationId(CHANNEL.id, 'IGSID-1'), element('text-and-media.json', i), 1_700_000_000_000 + i, 'instagram']),
    );
  });

  it('drops the echo of a message the connector sent (its mid is in sent-mids) and keeps one sent from the Instagram app as USER; seen marks and reactions land on the sent message', async () => {
    await start();
    driver.createInputTopic(INSTAGRAM_SENT_MIDS_TOPIC, serdes.key, Serdes.string()).pipeInput('m_sent_by_parley', '44444444-4444-5444-8444-444444444444', 1_700_000_001_000);
    pipe('echoes.json', 1_700_000_002_500);
    expect(messages().map((r) => [r.key, r.value!.senderType, r.value!.senderId, r.value!.conversationId])).to.deep.equal([[mid('m_sent_from_the_app'), 'USER', ACCOUNT, conversationId(CHANNEL.id, 'IGSID-1')]]);
    // The contact sees Parley's message: the seen mark lands on the Parley message the mid was sent as.
    const seen = { object: 'instagram', entry: [{ id: ACCOUNT, time: 1, messaging: [{ sender: { id: 'IGSID-1' }, recipient: { id: ACCOUNT }, timestamp: 1_700_000_003_000, read: { mid: 'm_sent_by_parley' } }] }] };
    driver.createInputTopic(INSTAGRAM_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(ACCOUNT, Buffer.from(JSON.stringify(seen)), 1_700_000_003_100);
    expect(metadata().map((r) => [r.value!.subject, r.value!.key, r.value!.value])).to.deep.equal([['message:44444444-4444-5444-8444-444444444444', 'source.delivery_state', 'read']]);
    // And reacts to it: the reaction lands there too, the unreaction removes it.
    const reaction = (action: 'react' | 'unreact', at: number) => ({ object: 'instagram', entry: [{ id: ACCOUNT, time: 1, messaging: [{ sender: { id: 'IGSID-1' }, recipient: { id: ACCOUNT }, timestamp: at, reaction: { mid: 'm_sent_by_parley', action, ...(action === 'react' ? { reaction: 'love', emoji: '\u2764' } : {}) } }] }] });
    for (const [action, at] of [['react', 1_700_000_004_000], ['unreact', 1_700_000_005_000]] as const) {
      driver.createInputTopic(INSTAGRAM_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(ACCOUNT, Buffer.from(JSON.stringify(reaction(action, at))), at + 100);
    }
    const subject = 'message:44444444-4444-5444-8444-444444444444';
    expect(metadata().map((r) => [r.key, r.value?.value ?? null])).to.deep.equal([
      [metadataId(subject, 'source.delivery_state'), 'read'],
      [metadataId(subject, 'reaction.emoji'), '\u2764'],
      [metadataId(subject, 'reaction.sent_at'), '1700000004000'],
      [metadataId(subject, 'reaction.emoji'), null],
      [metadataId(subject, 'reaction.sent_at'), null],
    ]);
  });

  it('maps postbacks to headers, reactions and seen marks to metadata', async () => {
    await start();
    pipe('postback-reaction.json');
    expect(messages().map((r) => [r.key, r.value!.headers])).to.deep.equal([[mid('aWdfZAG1pb1'), { 'postback.payload': 'TRACK', 'postback.title': 'Track my order' }]]);
    const subject = `message:${mid('aWdfZAG1text1')}`;
    expect(metadata().map((r) => [r.key, r.value!.value])).to.deep.equal([
      [metadataId(subject, 'reaction.emoji'), '\u2764'],
      [metadataId(subject, 'reaction.sent_at'), '1700000003001'],
      [metadataId(subject, 'source.delivery_state'), 'read'],
    ]);
  });

  it('stores a replayed webhook under the same keys, and dead-letters unknown accounts and non-Instagram bodies', async () => {
    await start();
    pipe('text-and-media.json');
    pipe('text-and-media.json');
    const all = messages();
    expect(all.slice(4)).to.deep.equal(all.slice(0, 4));
    pipe('unknown-account.json', 5, '17841499999999999');
    driver.createInputTopic(INSTAGRAM_EVENTS_TOPIC, serdes.key, serdes.raw).pipeInput(ACCOUNT, Buffer.from('{"object":"page","entry":[{"id":"1"}]}'), 6);
    expect(deadLetters().map((l) => [l.key, l.value!.code, l.value!.reason])).to.deep.equal([
      ['17841499999999999', 'SOURCES_CHANNEL_NOT_FOUND', 'no Instagram channel for account 17841499999999999'],
      [ACCOUNT, 'SOURCES_INVALID_PAYLOAD', 'invalid body at object: Invalid input: expected "instagram"'],
    ]);
  });
});
