import { expect } from 'chai';
import { COMMUNICATION_TOPICS, conversationId, metadataSubject, type Message } from '@parley/schemas';
import type { CommandContext } from '../src/commands/command-context.js';
import { createTag, createTemplate, deleteTag, deleteTemplate, updateTag, updateTemplate } from '../src/commands/catalog-commands.js';
import {
  markConversationRead,
  removeConversationState,
  setConversationState,
  tagConversation,
  untagConversation,
  updateContactDisplayName,
} from '../src/commands/conversation-commands.js';
import { removeMetadata, upsertMetadata } from '../src/commands/metadata-commands.js';
import { sendMessage } from '../src/commands/send-message.js';
import { createHarness, FACEBOOK_CHANNEL, facebookChannel, facebookConversation, facebookMessage, SMS_CHANNEL, smsChannel, tag, type Harness } from '../src/testing.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('Communication > Commands', () => {
  const ada = facebookConversation('psid-ada');
  let h: Harness;
  let context: CommandContext;
  let clock: number;
  let ids: number;

  beforeEach(async () => {
    h = await createHarness();
    clock = 10_000;
    ids = 0;
    context = {
      log: h.log,
      readModel: h.readModel,
      serdes: h.serdes,
      now: () => clock,
      newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
      conversationWaitMs: 20,
    };
    await h.channel(facebookChannel());
    await h.message(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }));
  });
  afterEach(() => h.close());

  describe('sendMessage', () => {
    it('appends a PENDING message to the conversation, its content as JSON text, and returns the offsets', async () => {
      const result = await sendMessage(context, { conversationId: ada, content: { text: 'On it' }, senderId: 'agent-7' });
      expect(result.message).to.deep.equal({
        id: '00000000-0000-4000-8000-000000000001',
        headers: null,
        senderType: 'USER',
        senderId: 'agent-7',
        deliveryState: 'PENDING',
        conversationId: ada,
        channelId: FACEBOOK_CHANNEL,
        source: 'facebook',
        sourceRecipientId: null,
        content: '{"text":"On it"}',
        sentAt: 10_000,
        updatedAt: null,
      } satisfies Message);
      expect(result.offsets).to.deep.equal([{ topic: COMMUNICATION_TOPICS.messages.name, partition: 0, offset: 0 }]);
      expect(h.readModel.conversationInfo(ada).last_message.id).to.equal(result.message.id);
    });

    it('keeps a message id the caller gives, so a retry writes the same record', async () => {
      const result = await sendMessage(context, { conversationId: ada, content: 'x', senderId: 'bot', senderType: 'APP', messageId: 'client-42' });
      expect(result.message).to.include({ id: 'client-42', senderType: 'APP', content: '"x"' });
    });

    it('refuses neither or both ways of naming the conversation with RUNTIME_INVALID_REQUEST', async () => {
      expect(await codeOf(sendMessage(context, { content: 'x', senderId: 'a' }))).to.equal('RUNTIME_INVALID_REQUEST');
      expect(await codeOf(sendMessage(context, { conversationId: ada, channelId: FACEBOOK_CHANNEL, sourceRecipientId: 'p', content: 'x', senderId: 'a' }))).to.equal(
        'RUNTIME_INVALID_REQUEST',
      );
      expect(await codeOf(sendMessage(context, { channelId: FACEBOOK_CHANNEL, content: 'x', senderId: 'a' }))).to.equal('RUNTIME_INVALID_REQUEST');
    });

    it('refuses an unknown conversation or channel with RUNTIME_NOT_FOUND and a disconnected channel with RUNTIME_STATE', async () => {
      expect(await codeOf(sendMessage(context, { conversationId: facebookConversation('nobody'), content: 'x', senderId: 'a' }))).to.equal('RUNTIME_NOT_FOUND');
      expect(await codeOf(sendMessage(context, { channelId: SMS_CHANNEL, sourceRecipientId: '+49', content: 'x', senderId: 'a' }))).to.equal('RUNTIME_NOT_FOUND');
      await h.channel(smsChannel({ connectionState: 'DISCONNECTED' }));
      expect(await codeOf(sendMessage(context, { channelId: SMS_CHANNEL, sourceRecipientId: '+49', content: 'x', senderId: 'a' }))).to.equal('RUNTIME_STATE');
      expect(h.appended).to.deep.equal([]);
    });

    it('continues an existing conversation when given its channel and contact', async () => {
      const result = await sendMessage(context, { channelId: FACEBOOK_CHANNEL, sourceRecipientId: 'psid-ada', content: 'x', senderId: 'a' });
      expect(result).to.deep.include({ conversationExisted: true });
      expect(result.message).to.include({ conversationId: conversationId(FACEBOOK_CHANNEL, 'psid-ada'), sourceRecipientId: null });
    });
  });

  describe('conversation commands', () => {
    it('marks read at the current time: unread_count 0, user_read = that time', async () => {
      clock = 5000;
      const result = await markConversationRead(context, { conversationId: ada });
      expect(result.readAt).to.equal(5000);
      expect(h.readModel.conversationInfo(ada).metadata.unread_count).to.equal(0);
      expect(h.readModel.metadata(metadataSubject('message', facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }).id))).to.deep.equal({ user_read: 5000 });
    });

    it('tags and untags; an unknown tag is RUNTIME_NOT_FOUND', async () => {
      await h.tag(tag('t-vip', 'VIP'));
      await tagConversation(context, { conversationId: ada, tagId: 't-vip' });
      expect(h.readModel.listConversations({ filters: { tagIds: ['t-vip'] } }).pagination_data.total).to.equal(1);
      clock += 1;
      await untagConversation(context, { conversationId: ada, tagId: 't-vip' });
      expect(h.readModel.listConversations({ filters: { tagIds: ['t-vip'] } }).pagination_data.total).to.equal(0);
      expect(await codeOf(tagConversation(context, { conversationId: ada, tagId: 't-none' }))).to.equal('RUNTIME_NOT_FOUND');
    });

    it('sets and removes the state, and renames the contact', async () => {
      await setConversationState(context, { conversationId: ada, state: 'CLOSED' });
      await updateContactDisplayName(context, { conversationId: ada, displayName: 'Ada' });
      expect(h.readModel.conversationInfo(ada).metadata).to.deep.include({ state: 'CLOSED', contact: { display_name: 'Ada' } });
      clock += 1;
      await removeConversationState(context, { conversationId: ada });
      expect(h.readModel.conversationInfo(ada).metadata).to.not.have.property('state');
    });

    it('refuses a conversation that does not appear within the wait with RUNTIME_NOT_FOUND', async () => {
      expect(await codeOf(markConversationRead(context, { conversationId: facebookConversation('ghost') }))).to.equal('RUNTIME_NOT_FOUND');
    });
  });

  describe('metadata', () => {
    it('upserts one record per leaf under user_data, contacts to their own topic', async () => {
      const result = await upsertMetadata(context, { namespace: 'conversation', id: ada, data: { erp: { id: 'A-1', tier: 2 }, vip: true } });
      expect(result.offsets).to.have.length(3);
      expect(h.readModel.conversationInfo(ada).metadata.user_data).to.deep.equal({ erp: { id: 'A-1', tier: 2 }, vip: true });
      const contact = '2c4e0a53-6e5d-5a0f-9b1a-0123456789ab';
      await upsertMetadata(context, { namespace: 'contact', id: contact, data: { display_name: 'Ada' }, prefix: null });
      expect(h.appended.at(-1)!.topic).to.equal(COMMUNICATION_TOPICS.contacts.name);
      expect(h.readModel.metadata(metadataSubject('contact', contact))).to.deep.equal({ display_name: 'Ada' });
    });

    it('removes a key with everything nested below it', async () => {
      await upsertMetadata(context, { namespace: 'conversation', id: ada, data: { erp: { id: 'A-1', tier: 2 }, vip: true } });
      clock += 1;
      await removeMetadata(context, { namespace: 'conversation', id: ada, keys: ['erp'] });
      expect(h.readModel.conversationInfo(ada).metadata.user_data).to.deep.equal({ vip: true });
    });
  });

  describe('tags and templates', () => {
    it('creates, updates and deletes a tag; unknown ids are RUNTIME_NOT_FOUND', async () => {
      const { tag: created } = await createTag(context, { name: 'VIP', color: 'RED' });
      await updateTag(context, { id: created.id, color: 'GREEN' });
      expect(h.readModel.tagInfo(created.id)).to.deep.equal({ id: created.id, name: 'VIP', color: 'tag-green' });
      await deleteTag(context, { id: created.id });
      expect(await h.readModel.listTags()).to.deep.equal([]);
      expect(await codeOf(updateTag(context, { id: created.id, name: 'x' }))).to.equal('RUNTIME_NOT_FOUND');
      expect(await codeOf(deleteTag(context, { id: created.id }))).to.equal('RUNTIME_NOT_FOUND');
    });

    it('creates, updates and deletes a template', async () => {
      const { template } = await createTemplate(context, { name: 'Welcome', source: 'facebook', content: { text: 'Hi!' } });
      await updateTemplate(context, { id: template.id, content: { text: 'Hello!' } });
      expect(h.readModel.templateInfo(template.id)).to.deep.equal({ id: template.id, name: 'Welcome', source: 'facebook', content: { text: 'Hello!' } });
      await deleteTemplate(context, { id: template.id });
      expect(await codeOf(deleteTemplate(context, { id: template.id }))).to.equal('RUNTIME_NOT_FOUND');
    });
  });
});
