import { expect } from 'chai';
import { SMS_CHANNEL, facebookChannel, facebookConversation, facebookMessage, smsChannel } from '@parley/communication/testing';
import { forEachBackend } from '../../helpers.js';
import { expectError, startPlatform, type TestPlatform } from './platform-fixture.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

forEachBackend('Api > Communication > Conversations', function (backend) {
  this.timeout(30_000);
  let p: TestPlatform;
  const ada = facebookConversation('psid-ada');
  const bob = facebookConversation('psid-bob');
  const now = Date.now();
  const carolMessage = facebookMessage({ psid: '+4917700001', mid: 'SM-1', sentAt: now - 1000, channel: smsChannel() });
  const carol = carolMessage.conversationId;

  before(async () => {
    p = await startPlatform({}, { log: backend.freshLog() });
    await p.seed({
      channels: [facebookChannel(), smsChannel()],
      messages: [
        facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: now - 3000, text: 'My order is late' }),
        facebookMessage({ psid: 'psid-bob', mid: 'm_2', sentAt: now - 2000 }),
        carolMessage,
      ],
    });
  });
  after(() => p.stop());

  const ids = (res: { json: any }) => res.json.data.map((c: { id: string }) => c.id);

  describe('conversations.list', () => {
    it('lists every conversation newest first with the total', async () => {
      const res = await p.post('conversations.list', {});
      expect(res.status, res.text).to.equal(200);
      expect(ids(res)).to.deep.equal([carol, bob, ada]);
      expect(res.json.pagination_data).to.deep.equal({ previous_cursor: null, next_cursor: null, total: 3 });
      expect(res.json.data[2]).to.include({ id: ada, source_conversation_id: 'psid-ada' });
      expect(res.json.data[2].channel).to.include({ source: 'facebook', connected: true });
      expect(res.json.data[2].channel).to.not.have.property('token');
      expect(res.json.data[2].metadata).to.include({ unread_count: 1 });
    });

    it('filters by channel, source and display name', async () => {
      expect(ids(await p.post('conversations.list', { filters: { channel_ids: [SMS_CHANNEL] } }))).to.deep.equal([carol]);
      expect(ids(await p.post('conversations.list', { filters: { sources: ['facebook'] } }))).to.deep.equal([bob, ada]);
      const byName = await p.post('conversations.list', { filters: { display_name: ada.slice(-5).toUpperCase() } });
      expect(ids(byName)).to.deep.equal([ada]);
    });

    it('pages with cursors that lead forward and back', async () => {
      const first = await p.post('conversations.list', { page_size: 2 });
      expect(ids(first)).to.deep.equal([carol, bob]);
      expect(first.json.pagination_data.total).to.equal(3);
      const second = await p.post('conversations.list', { page_size: 2, cursor: first.json.pagination_data.next_cursor });
      expect(ids(second)).to.deep.equal([ada]);
      expect(second.json.pagination_data.next_cursor).to.equal(null);
      const back = await p.post('conversations.list', { page_size: 2, cursor: second.json.pagination_data.previous_cursor });
      expect(ids(back)).to.deep.equal([carol, bob]);
    });

    it('answers 400 for a cursor it did not issue, and for mistyped filters', async () => {
      expectError(await p.post('conversations.list', { cursor: 'bm90LWEtY3Vyc29y' }), 400, 'RUNTIME_INVALID_CURSOR');
      expectError(await p.post('conversations.list', { filters: { unread: 'yes' } }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('conversations.list', { filters: { channel_ids: ['not-an-id'] } }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('conversations.list', { filters: { metadata: { 'user_data.x': { nested: true } } } }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('conversations.list', { page_size: 0 }), 400, 'RUNTIME_INVALID_REQUEST');
    });
  });

  describe('conversations.info', () => {
    it('answers the conversation, 404 for an unknown id and 400 for a malformed one', async () => {
      const res = await p.post('conversations.info', { conversation_id: ada });
      expect(res.status, res.text).to.equal(200);
      expect(res.json).to.include({ id: ada });
      expect(res.json.last_message.content.message.text).to.equal('My order is late');
      expectError(await p.post('conversations.info', { conversation_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('conversations.info', { conversation_id: 'ADA' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('conversations.info', {}), 400, 'RUNTIME_INVALID_REQUEST');
    });
  });

  describe('commands', () => {
    it('mark-read: 204, then the conversation is read in the very next list', async () => {
      const res = await p.post('conversations.mark-read', { conversation_id: bob });
      expect(res.status, res.text).to.equal(204);
      expect(res.text).to.equal('');
      expect(ids(await p.post('conversations.list', { filters: { unread: false } }))).to.include(bob);
      expect(ids(await p.post('conversations.list', { filters: { unread: true } }))).to.not.include(bob);
    });

    it('tag then list by tag sees it at once; untag removes it', async () => {
      const tag = await p.post('tags.create', { name: 'Shipping', color: 'tag-purple' });
      expect(tag.status, tag.text).to.equal(201);
      expect((await p.post('conversations.tag', { conversation_id: ada, tag_id: tag.json.id })).status).to.equal(204);
      expect(ids(await p.post('conversations.list', { filters: { tag_ids: [tag.json.id] } }))).to.deep.equal([ada]);
      expect((await p.post('conversations.info', { conversation_id: ada })).json.metadata.tags).to.have.property(tag.json.id);
      expect((await p.post('conversations.untag', { conversation_id: ada, tag_id: tag.json.id })).status).to.equal(204);
      expect(ids(await p.post('conversations.list', { filters: { tag_ids: [tag.json.id] } }))).to.deep.equal([]);
    });

    it('tag answers 404 for an unknown tag (Airy did not check), untag does not need the tag', async () => {
      expectError(await p.post('conversations.tag', { conversation_id: ada, tag_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      expect((await p.post('conversations.untag', { conversation_id: ada, tag_id: UNKNOWN })).status).to.equal(204);
    });

    it('set-state and remove-state show in the state filter at once', async () => {
      expect((await p.post('conversations.set-state', { conversation_id: carol, state: 'CLOSED' })).status).to.equal(204);
      expect(ids(await p.post('conversations.list', { filters: { state: 'CLOSED' } }))).to.deep.equal([carol]);
      expect((await p.post('conversations.remove-state', { conversation_id: carol })).status).to.equal(204);
      expect(ids(await p.post('conversations.list', { filters: { state: 'CLOSED' } }))).to.deep.equal([]);
      expect((await p.post('conversations.info', { conversation_id: carol })).json.metadata).to.not.have.property('state');
    });

    it('update-contact renames the contact, searchable at once', async () => {
      expect((await p.post('conversations.update-contact', { conversation_id: bob, display_name: 'Bob Builder' })).status).to.equal(204);
      expect(ids(await p.post('conversations.list', { filters: { display_name: 'bob build' } }))).to.deep.equal([bob]);
      expect((await p.post('conversations.info', { conversation_id: bob })).json.metadata.contact.display_name).to.equal('Bob Builder');
    });

    it('refetch answers 409 RUNTIME_NOT_SUPPORTED when no enabled provider fetches profiles of the source', async () => {
      expectError(await p.post('conversations.refetch', { conversation_id: ada }), 409, 'RUNTIME_NOT_SUPPORTED');
      expectError(await p.post('conversations.refetch', { conversation_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('conversations.refetch', { conversation_id: 'ADA' }), 400, 'RUNTIME_INVALID_REQUEST');
    });

    it('answers 404 for an unknown conversation on every command', async () => {
      const bodies: [string, object][] = [
        ['conversations.mark-read', {}],
        ['conversations.tag', { tag_id: UNKNOWN }],
        ['conversations.untag', { tag_id: UNKNOWN }],
        ['conversations.set-state', { state: 'OPEN' }],
        ['conversations.remove-state', {}],
        ['conversations.update-contact', { display_name: 'X' }],
      ];
      for (const [route, body] of bodies) expectError(await p.post(route, { conversation_id: UNKNOWN, ...body }), 404, 'RUNTIME_NOT_FOUND');
    });

    it('answers 400 for missing or mistyped fields', async () => {
      expectError(await p.post('conversations.set-state', { conversation_id: ada }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('conversations.set-state', { conversation_id: ada, state: '' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('conversations.update-contact', { conversation_id: ada, display_name: 42 }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('conversations.tag', { conversation_id: ada }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('conversations.mark-read', { conversation_id: 7 }), 400, 'RUNTIME_INVALID_REQUEST');
    });
  });
});
