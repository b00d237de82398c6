import { expect } from 'chai';
import { conversationId, metadataSubject } from '@parley/schemas';
import { CommunicationReadModel } from '../src/read-model/communication-read-model.js';
import type { ConversationFilters } from '../src/read-model/conversation-filters.js';
import { encodeCursor } from '../src/read-model/cursor.js';
import {
  createHarness,
  FACEBOOK_CHANNEL,
  facebookChannel,
  facebookConversation,
  facebookMessage,
  SMS_CHANNEL,
  smsChannel,
  tag,
  template,
  type Harness,
} from '../src/testing.js';

async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('Communication > ReadModel', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  describe('conversations.info', () => {
    it('renders a conversation in the API shape, with the defaults', async () => {
      await h.channel(facebookChannel());
      const message = facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: Date.UTC(2024, 0, 2, 3, 4, 5, 678), text: 'Hello there' });
      await h.message(message);
      const id = facebookConversation('psid-ada');
      const conversation = h.readModel.conversationInfo(id);
      expect(conversation).to.deep.equal({
        id,
        created_at: '2024-01-02T03:04:05.678Z',
        source_conversation_id: 'psid-ada',
        channel: {
          id: FACEBOOK_CHANNEL,
          source: 'facebook',
          source_channel_id: facebookChannel().sourceChannelId,
          connected: true,
          metadata: { name: `facebook ${FACEBOOK_CHANNEL.slice(-5)}` },
        },
        metadata: { contact: { display_name: `Facebook ${id.slice(-5)}` }, unread_count: 1 },
        last_message: {
          id: message.id,
          content: JSON.parse(message.content),
          delivery_state: 'delivered',
          from_contact: true,
          sender: { id: 'psid-ada', type: 'contact' },
          sent_at: '2024-01-02T03:04:05.678Z',
          updated_at: null,
          source: 'facebook',
          metadata: {},
        },
      });
      expect(JSON.stringify(conversation)).to.not.include('EAAG-page-token');
    });

    it('shows metadata, the display name given and the last message metadata', async () => {
      await h.channel(smsChannel());
      const sms = { ...facebookMessage({ psid: '+4917700000', mid: 'SM1', sentAt: 1000, channel: smsChannel() }), content: 'Body=Hi&From=%2B4917700000' };
      await h.message(sms);
      const id = sms.conversationId;
      await h.metadata(metadataSubject('conversation', id), 'contact.display_name', 'Grace', 1000);
      await h.metadata(metadataSubject('conversation', id), 'user_data.erp.id', 42, 1000);
      await h.metadata(metadataSubject('message', sms.id), 'source.delivery_state', 'seen', 1000);
      await h.metadata(metadataSubject('channel', SMS_CHANNEL), 'name', 'Support line', 1000);
      const conversation = h.readModel.conversationInfo(id);
      expect(conversation.metadata).to.deep.equal({ contact: { display_name: 'Grace' }, user_data: { erp: { id: 42 } }, unread_count: 1 });
      expect(conversation.last_message.content).to.equal('Body=Hi&From=%2B4917700000');
      expect(conversation.last_message.metadata).to.deep.equal({ source: { delivery_state: 'seen' } });
      expect(conversation.channel.metadata).to.deep.equal({ name: 'Support line' });
    });

    it('is RUNTIME_NOT_FOUND for an unknown conversation', async () => {
      expect(await codeOf(() => h.readModel.conversationInfo(facebookConversation('nobody')))).to.equal('RUNTIME_NOT_FOUND');
    });

    it('answers RUNTIME_NOT_READY until attached', async () => {
      expect(await codeOf(() => new CommunicationReadModel().listConversations())).to.equal('RUNTIME_NOT_READY');
    });
  });

  describe('a channel that arrives late', () => {
    it('holds its conversations back until the channel arrives, then lists them', async () => {
      await h.message(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }));
      const id = facebookConversation('psid-ada');
      expect(h.readModel.listConversations().pagination_data.total).to.equal(0);
      expect(await codeOf(() => h.readModel.conversationInfo(id))).to.equal('RUNTIME_NOT_FOUND');
      await h.channel(facebookChannel());
      expect(h.readModel.listConversations().data.map((c) => c.id)).to.deep.equal([id]);
      await h.deleteChannel(FACEBOOK_CHANNEL);
      expect(h.readModel.listConversations().pagination_data.total).to.equal(0);
    });

    it('is listed by a read model attached later, loaded from the stores', async () => {
      await h.message(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }));
      await h.channel(facebookChannel());
      const later = new CommunicationReadModel();
      await later.attach({ store: (name) => h.driver.getKeyValueStore(name) });
      expect(later.listConversations().data.map((c) => c.id)).to.deep.equal([facebookConversation('psid-ada')]);
    });
  });

  describe('conversations.list', () => {
    const ids = {
      ada: facebookConversation('psid-ada'),
      bob: facebookConversation('psid-bob'),
      cyd: facebookConversation('psid-cyd'),
      sms: conversationId(SMS_CHANNEL, '+4917700000'),
    };
    const list = (filters: ConversationFilters) => h.readModel.listConversations({ filters, pageSize: 50 });
    const listIds = (filters: ConversationFilters) => list(filters).data.map((c) => c.id);

    beforeEach(async () => {
      await h.channel(facebookChannel());
      await h.channel(smsChannel());
      await h.message(facebookMessage({ psid: 'psid-ada', mid: 'a1', sentAt: 4000 }));
      await h.message(facebookMessage({ psid: 'psid-bob', mid: 'b1', sentAt: 3000 }));
      await h.message(facebookMessage({ psid: 'psid-cyd', mid: 'c1', sentAt: 2000, senderType: 'USER' }));
      await h.message(facebookMessage({ psid: '+4917700000', mid: 's1', sentAt: 1000, channel: smsChannel() }));
      const meta = (id: string, key: string, value: string | number) => h.metadata(metadataSubject('conversation', id), key, value, 500);
      await meta(ids.ada, 'contact.display_name', 'Ada Lovelace');
      await meta(ids.bob, 'contact.display_name', 'Bob Dylan');
      await meta(ids.ada, 'tags.t-vip', '');
      await meta(ids.ada, 'tags.t-sales', '');
      await meta(ids.bob, 'tags.t-vip', '');
      await meta(ids.ada, 'state', 'CLOSED');
      await meta(ids.bob, 'state', 'OPEN');
      await meta(ids.sms, 'user_data.erp.id', 'abc');
      await meta(ids.cyd, 'user_data.tier', 2);
      await h.readReceipt(ids.bob, 3000);
    });

    it('orders by last message time, newest first, and counts everything', () => {
      const page = list({});
      expect(page.data.map((c) => c.id)).to.deep.equal([ids.ada, ids.bob, ids.cyd, ids.sms]);
      expect(page.pagination_data).to.deep.equal({ previous_cursor: null, next_cursor: null, total: 4 });
    });

    it('moves a conversation to the top when it gets a message', async () => {
      await h.message(facebookMessage({ psid: '+4917700000', mid: 's2', sentAt: 9000, channel: smsChannel() }));
      expect(listIds({})[0]).to.equal(ids.sms);
    });

    it('filters by channel id and by source', () => {
      expect(listIds({ channelIds: [SMS_CHANNEL] })).to.deep.equal([ids.sms]);
      expect(listIds({ sources: ['facebook'] })).to.deep.equal([ids.ada, ids.bob, ids.cyd]);
      expect(listIds({ sources: ['twilio.sms', 'google'] })).to.deep.equal([ids.sms]);
    });

    it('filters by tags, all of them', () => {
      expect(listIds({ tagIds: ['t-vip'] })).to.deep.equal([ids.ada, ids.bob]);
      expect(listIds({ tagIds: ['t-vip', 't-sales'] })).to.deep.equal([ids.ada]);
    });

    it('filters by state', () => {
      expect(listIds({ state: 'OPEN' })).to.deep.equal([ids.bob]);
      expect(listIds({ state: 'CLOSED' })).to.deep.equal([ids.ada]);
    });

    it('filters by unread', () => {
      expect(listIds({ unread: true })).to.deep.equal([ids.ada, ids.sms]);
      expect(listIds({ unread: false })).to.deep.equal([ids.bob, ids.cyd]);
    });

    it('filters by display name, ignoring case, defaults included', () => {
      expect(listIds({ displayName: 'LOVE' })).to.deep.equal([ids.ada]);
      expect(listIds({ displayName: 'sms ' })).to.deep.equal([ids.sms]);
      expect(listIds({ displayName: 'zzz' })).to.deep.equal([]);
    });

    it('filters by metadata key and value', () => {
      expect(listIds({ metadata: { 'user_data.erp.id': 'abc' } })).to.deep.equal([ids.sms]);
      expect(listIds({ metadata: { 'user_data.tier': 2 } })).to.deep.equal([ids.cyd]);
      expect(listIds({ metadata: { 'user_data.tier': '2' } })).to.deep.equal([ids.cyd]);
      expect(listIds({ metadata: { 'user_data.erp': 'abc' } })).to.deep.equal([]);
    });

    it('combines filters and counts the filtered total', () => {
      const page = h.readModel.listConversations({ filters: { sources: ['facebook'], tagIds: ['t-vip'], unread: true }, pageSize: 1 });
      expect(page.data.map((c) => c.id)).to.deep.equal([ids.ada]);
      expect(page.pagination_data).to.deep.equal({ previous_cursor: null, next_cursor: null, total: 1 });
    });

    it('pages with next and previous cursors', () => {
      const first = h.readModel.listConversations({ pageSize: 3 });
      expect(first.data.map((c) => c.id)).to.deep.equal([ids.ada, ids.bob, ids.cyd]);
      const second = h.readModel.listConversations({ pageSize: 3, cursor: first.pagination_data.next_cursor! });
      expect(second.data.map((c) => c.id)).to.deep.equal([ids.sms]);
      expect(second.pagination_data.next_cursor).to.equal(null);
      const back = h.readModel.listConversations({ pageSize: 3, cursor: second.pagination_data.previous_cursor! });
      expect(back.data.map((c) => c.id)).to.deep.equal([ids.ada, ids.bob, ids.cyd]);
      expect(back.pagination_data.previous_cursor).to.equal(null);
    });

    it('refuses a cursor it did not issue with RUNTIME_INVALID_CURSOR', async () => {
      expect(await codeOf(() => h.readModel.listConversations({ cursor: 'bm9wZQ' }))).to.equal('RUNTIME_INVALID_CURSOR');
      expect(await codeOf(() => h.readModel.listConversations({ cursor: encodeCursor('msg', 'start') }))).to.equal('RUNTIME_INVALID_CURSOR');
    });
  });

  describe('messages.list', () => {
    const id = facebookConversation('psid-ada');
    beforeEach(async () => {
      await h.channel(facebookChannel());
    });

    it('lists oldest first, equal timestamps both, by id', async () => {
      const a = facebookMessage({ psid: 'psid-ada', mid: 'm_a', sentAt: 2000 });
      const b = facebookMessage({ psid: 'psid-ada', mid: 'm_b', sentAt: 2000 });
      const first = facebookMessage({ psid: 'psid-ada', mid: 'm_0', sentAt: 1000, senderType: 'USER' });
      for (const m of [a, b, first]) await h.message(m);
      const page = await h.readModel.listMessages({ conversationId: id });
      expect(page.data.map((m) => m.id)).to.deep.equal([first.id, ...[a.id, b.id].sort()]);
      expect(page.data[0]).to.deep.include({ from_contact: false, delivery_state: 'pending', sender: { id: 'agent-7', type: 'user' } });
      expect(page.pagination_data.total).to.equal(3);
    });

    it('pages forward and back with cursors, with message metadata', async () => {
      const messages = Array.from({ length: 7 }, (_, i) => facebookMessage({ psid: 'psid-ada', mid: `m_${i}`, sentAt: 1000 + i }));
      for (const m of messages) await h.message(m);
      await h.metadata(metadataSubject('message', messages[4]!.id), 'reaction.emoji', '👍', 2000);
      const seen: string[] = [];
      const pages = [];
      let cursor: string | undefined;
      do {
        const page = await h.readModel.listMessages({ conversationId: id, pageSize: 3, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(page);
        seen.push(...page.data.map((m) => m.id));
        cursor = page.pagination_data.next_cursor ?? undefined;
      } while (cursor !== undefined);
      expect(seen).to.deep.equal(messages.map((m) => m.id));
      expect(pages[1]!.data[1]!.metadata).to.deep.equal({ reaction: { emoji: '👍' } });
      const back = await h.readModel.listMessages({ conversationId: id, pageSize: 3, cursor: pages[2]!.pagination_data.previous_cursor! });
      expect(back.data.map((m) => m.id)).to.deep.equal(pages[1]!.data.map((m) => m.id));
      expect(pages[0]!.pagination_data.previous_cursor).to.equal(null);
    });

    it('is RUNTIME_NOT_FOUND for a conversation without messages', async () => {
      expect(await codeOf(() => h.readModel.listMessages({ conversationId: id }))).to.equal('RUNTIME_NOT_FOUND');
    });

    it('finds one message by id in its latest version', async () => {
      const m = facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000, senderType: 'USER' });
      await h.message(m);
      await h.message({ ...m, deliveryState: 'FAILED', updatedAt: 1200 });
      expect(h.readModel.messageInfo(m.id)).to.deep.include({ delivery_state: 'failed', updated_at: '1970-01-01T00:00:01.200Z' });
      expect(await codeOf(() => h.readModel.messageInfo('nope'))).to.equal('RUNTIME_NOT_FOUND');
    });
  });

  describe('channels, tags and templates', () => {
    it('lists and finds channels, disconnected ones too unless filtered', async () => {
      await h.channel(facebookChannel());
      await h.channel(smsChannel({ connectionState: 'DISCONNECTED' }));
      expect(h.readModel.listChannels().map((c) => c.id)).to.deep.equal([FACEBOOK_CHANNEL, SMS_CHANNEL]);
      expect(h.readModel.listChannels({ connected: true }).map((c) => c.id)).to.deep.equal([FACEBOOK_CHANNEL]);
      expect(h.readModel.listChannels({ source: 'twilio.sms' })).to.have.length(1);
      expect(h.readModel.channelInfo(SMS_CHANNEL)).to.include({ connected: false, source_channel_id: '+4915112345678' });
      expect(await codeOf(() => h.readModel.channelInfo('nope'))).to.equal('RUNTIME_NOT_FOUND');
    });

    it('lists tags by name and finds one', async () => {
      await h.tag(tag('t2', 'VIP', 'RED'));
      await h.tag(tag('t1', 'Billing', 'GREEN'));
      expect(await h.readModel.listTags()).to.deep.equal([
        { id: 't1', name: 'Billing', color: 'tag-green' },
        { id: 't2', name: 'VIP', color: 'tag-red' },
      ]);
      expect(h.readModel.tagInfo('t2').name).to.equal('VIP');
      expect(await codeOf(() => h.readModel.tagInfo('t3'))).to.equal('RUNTIME_NOT_FOUND');
    });

    it('lists templates by source and name', async () => {
      await h.template(template('x1', 'Welcome', 'facebook', { text: 'Welcome!' }));
      await h.template(template('x2', 'Goodbye', 'facebook'));
      await h.template(template('x3', 'Welcome SMS', 'twilio.sms'));
      expect((await h.readModel.listTemplates({ source: 'facebook' })).map((t) => t.id)).to.deep.equal(['x2', 'x1']);
      expect((await h.readModel.listTemplates({ name: 'welcome' })).map((t) => t.id)).to.deep.equal(['x1', 'x3']);
      expect(h.readModel.templateInfo('x1')).to.deep.equal({ id: 'x1', name: 'Welcome', source: 'facebook', content: { text: 'Welcome!' } });
      expect(await codeOf(() => h.readModel.templateInfo('x9'))).to.equal('RUNTIME_NOT_FOUND');
    });
  });
});
