import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMUNICATION_TOPICS, conversationId, metadataId, metadataRecord, metadataSubject } from '@parley/schemas';
import { StreamsApp, type RecordMetadata } from '@parley/streams';
import { EmbeddedLog } from '@parley/streams/embedded';
import {
  communicationSerdes,
  communicationTopologyDefinition,
  CommunicationReadModel,
  createTag,
  markConversationRead,
  sendMessage,
  setConversationState,
  tagConversation,
  updateContactDisplayName,
  upsertMetadata,
  waitForOffsets,
  type CommandContext,
} from '../src/index.js';
import { FACEBOOK_CHANNEL, facebookChannel, facebookConversation, facebookMessage, SMS_CHANNEL, smsChannel } from '../src/testing.js';

const serdes = communicationSerdes();

describe('Communication > End to end', function () {
  this.timeout(30_000);
  let dir: string;
  let log: EmbeddedLog;
  let app: StreamsApp;
  let readModel: CommunicationReadModel;
  let context: CommandContext;

  const append = (topic: string, key: string, value: Buffer | null, timestamp: number): Promise<RecordMetadata[]> =>
    log.append(topic, [{ key: Buffer.from(key), value, timestamp }]);
  const appendMessage = (m: ReturnType<typeof facebookMessage>) => append(COMMUNICATION_TOPICS.messages.name, m.id, serdes.message.serialize(m), m.sentAt);

  async function startApp(): Promise<void> {
    readModel = new CommunicationReadModel();
    const definition = communicationTopologyDefinition(readModel, { applicationId: 'communication-e2e', partitions: 2 });
    await log.createTopics(definition.topics, { ifNotExists: true });
    app = new StreamsApp(definition.build(), { applicationId: definition.applicationId, log, stateDir: path.join(dir, 'state'), commitIntervalMs: 50 });
    await app.start();
    await readModel.attach(app);
    context = { log, readModel, serdes, conversationWaitMs: 3000 };
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-communication-e2e-'));
    log = new EmbeddedLog({ dir: path.join(dir, 'log'), maintenanceIntervalMs: 0 });
    await log.open();
    await log.createTopics(
      Object.values(COMMUNICATION_TOPICS).map((t) => ({ name: t.name, partitions: 2, config: { ...t.config } })),
      { ifNotExists: true },
    );
  });

  afterEach(async () => {
    await app?.close();
    await log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('derives conversations from appended records, and reads its own writes through the command writers', async () => {
    const ada = facebookConversation('psid-ada');
    const offsets = [
      ...(await append(COMMUNICATION_TOPICS.channels.name, FACEBOOK_CHANNEL, serdes.channel.serialize(facebookChannel()), 1)),
      ...(await appendMessage(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000, text: 'My order is late' }))),
      ...(await appendMessage(facebookMessage({ psid: 'psid-bob', mid: 'm_2', sentAt: 2000 }))),
    ];
    await startApp();
    expect(await waitForOffsets(app, offsets, 10_000)).to.equal(true);
    expect(readModel.listConversations().data.map((c) => c.id)).to.deep.equal([facebookConversation('psid-bob'), ada]);

    const sent = await sendMessage(context, { conversationId: ada, content: { text: 'Sorry! Checking.' }, senderId: 'agent-7' });
    expect(await waitForOffsets(app, sent.offsets)).to.equal(true);
    const first = readModel.listConversations().data[0]!;
    expect(first.id).to.equal(ada);
    expect(first.last_message).to.deep.include({ id: sent.message.id, delivery_state: 'pending', content: { text: 'Sorry! Checking.' } });
    const messages = await readModel.listMessages({ conversationId: ada });
    expect(messages.data.map((m) => m.id)).to.deep.equal([facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }).id, sent.message.id]);

    const read = await markConversationRead(context, { conversationId: ada, userId: 'agent-7' });
    expect(await waitForOffsets(app, read.offsets)).to.equal(true);
    expect(readModel.conversationInfo(ada).metadata.unread_count).to.equal(0);

    const state = await setConversationState(context, { conversationId: ada, state: 'CLOSED' });
    expect(await waitForOffsets(app, state.offsets)).to.equal(true);
    expect(readModel.listConversations({ filters: { state: 'CLOSED' } }).data.map((c) => c.id)).to.deep.equal([ada]);

    const created = await createTag(context, { name: 'Shipping', color: 'PURPLE' });
    expect(await waitForOffsets(app, created.offsets)).to.equal(true);
    const tagged = await tagConversation(context, { conversationId: ada, tagId: created.tag.id });
    const renamed = await updateContactDisplayName(context, { conversationId: ada, displayName: 'Ada L.' });
    const upserted = await upsertMetadata(context, { namespace: 'conversation', id: ada, data: { erp: { id: 'A-17' } } });
    expect(await waitForOffsets(app, [...tagged.offsets, ...renamed.offsets, ...upserted.offsets])).to.equal(true);
    const found = readModel.listConversations({ filters: { tagIds: [created.tag.id], displayName: 'ada l', metadata: { 'user_data.erp.id': 'A-17' } } });
    expect(found.data.map((c) => c.id)).to.deep.equal([ada]);
  });

  it('starts a conversation with a recipient under the id the contact answers in', async () => {
    await append(COMMUNICATION_TOPICS.channels.name, SMS_CHANNEL, serdes.channel.serialize(smsChannel()), 1);
    await startApp();
    await app.waitUntilCaughtUp(10_000);
    const sent = await sendMessage(context, { channelId: SMS_CHANNEL, sourceRecipientId: '+4917700000', content: 'Your code is 1234', senderId: 'app-otp', senderType: 'APP' });
    expect(sent.conversationExisted).to.equal(false);
    expect(sent.message).to.include({ conversationId: conversationId(SMS_CHANNEL, '+4917700000'), sourceRecipientId: '+4917700000', deliveryState: 'PENDING' });
    const answer = facebookMessage({ psid: '+4917700000', mid: 'SM-answer', sentAt: sent.message.sentAt + 1, channel: smsChannel() });
    expect(await waitForOffsets(app, [...sent.offsets, ...(await appendMessage(answer))])).to.equal(true);
    const conversation = readModel.conversationInfo(sent.message.conversationId);
    expect(conversation.source_conversation_id).to.equal('+4917700000');
    expect((await readModel.listMessages({ conversationId: conversation.id })).pagination_data.total).to.equal(2);
  });

  it('lets a send wait for its conversation without holding up other sends', async () => {
    const written = [
      ...(await append(COMMUNICATION_TOPICS.channels.name, FACEBOOK_CHANNEL, serdes.channel.serialize(facebookChannel()), 1)),
      ...(await appendMessage(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }))),
    ];
    await startApp();
    expect(await waitForOffsets(app, written, 10_000)).to.equal(true);
    const bob = facebookConversation('psid-bob');
    let waitingDone = false;
    const waiting = sendMessage(context, { conversationId: bob, content: { text: 'hi Bob' }, senderId: 'bot' }).finally(() => (waitingDone = true));
    const other = await sendMessage(context, { conversationId: facebookConversation('psid-ada'), content: { text: 'hi Ada' }, senderId: 'bot' });
    expect(other.message.conversationId).to.equal(facebookConversation('psid-ada'));
    expect(waitingDone).to.equal(false);
    await appendMessage(facebookMessage({ psid: 'psid-bob', mid: 'm_b', sentAt: 5000 }));
    const sentToBob = await waiting;
    expect(sentToBob.message).to.include({ conversationId: bob, channelId: FACEBOOK_CHANNEL });
    let code: string | undefined;
    await sendMessage({ ...context, conversationWaitMs: 50 }, { conversationId: facebookConversation('nobody'), content: 'x', senderId: 'bot' }).catch((err) => {
      code = err.code;
    });
    expect(code).to.equal('RUNTIME_NOT_FOUND');
  });

  it('restores the read model after a restart, and waitForOffsets gives up on a closed app', async () => {
    const ada = facebookConversation('psid-ada');
    await append(COMMUNICATION_TOPICS.channels.name, FACEBOOK_CHANNEL, serdes.channel.serialize(facebookChannel()), 1);
    const written = [
      ...(await appendMessage(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }))),
      ...(await append(
        COMMUNICATION_TOPICS.metadata.name,
        metadataId(metadataSubject('conversation', ada), 'state'),
        serdes.metadata.serialize(metadataRecord({ subject: metadataSubject('conversation', ada), key: 'state', value: 'OPEN', timestamp: 1000 })),
        1000,
      )),
    ];
    await startApp();
    expect(await waitForOffsets(app, written, 10_000)).to.equal(true);
    const before = readModel.listConversations();
    await app.close();
    expect(await waitForOffsets(app, written, 200)).to.equal(false);
    await startApp();
    expect(readModel.listConversations()).to.deep.equal(before);
    expect(before.data[0]!.metadata.state).to.equal('OPEN');
  });
});
