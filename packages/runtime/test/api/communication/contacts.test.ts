import { expect } from 'chai';
import { contactId } from '@parley/schemas';
import { facebookChannel, facebookConversation, facebookMessage, smsChannel } from '@parley/communication/testing';
import { forEachBackend } from '../../helpers.js';
import { expectError, startPlatform, type TestPlatform } from './platform-fixture.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

forEachBackend('Api > Communication > Contacts', function (backend) {
  this.timeout(60_000);
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
        facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: now - 5000, text: 'first' }),
        facebookMessage({ psid: 'psid-ada', mid: 'm_2', sentAt: now - 4000, text: 'second' }),
        facebookMessage({ psid: 'psid-ada', mid: 'm_3', sentAt: now - 3000, text: 'third' }),
        facebookMessage({ psid: 'psid-bob', mid: 'm_4', sentAt: now - 2000 }),
        carolMessage,
      ],
    });
  });
  after(() => p.stop());

  const info = async (body: object) => {
    const res = await p.post('contacts.info', body);
    expect(res.status, res.text).to.equal(200);
    return res.json;
  };

  describe('one contact per conversation', () => {
    it('exists for every conversation from its first message, linked to it', async () => {
      const contact = await info({ conversation_id: ada });
      expect(contact.id).to.equal(contactId(ada));
      expect(contact.conversations).to.deep.equal({ [ada]: 'facebook' });
      expect(contact.created_at).to.equal(new Date(now - 5000).toISOString());
      expect((await info({ id: contactId(carol) })).conversations).to.deep.equal({ [carol]: 'twilio.sms' });
    });

    it("takes its display name from the conversation's contact metadata until it has its own", async () => {
      expect((await p.post('conversations.update-contact', { conversation_id: bob, display_name: 'Bob Builder' })).status).to.equal(204);
      expect((await info({ conversation_id: bob })).display_name).to.equal('Bob Builder');
      const updated = await p.post('contacts.update', { id: contactId(bob), display_name: 'Robert' });
      expect(updated.status, updated.text).to.equal(200);
      expect(updated.json.display_name).to.equal('Robert');
    });
  });

  describe('contacts.create, .update, .list, .delete', () => {
    it('creates a contact (201) that is listed at once, sorted by name with nameless contacts last', async () => {
      const res = await p.post('contacts.create', { display_name: 'aaron', via: { email: 'aaron@example.com' }, timezone: 2, address: { city: 'Berlin' } });
      expect(res.status, res.text).to.equal(201);
      expect(res.json).to.include({ display_name: 'aaron', timezone: 2 });
      expect(res.json.via).to.deep.equal({ email: 'aaron@example.com' });
      expect(res.json.address).to.deep.equal({ city: 'Berlin' });
      const list = await p.post('contacts.list', {});
      expect(list.status, list.text).to.equal(200);
      const names = list.json.data.map((c: { display_name: string | null }) => c.display_name);
      expect(names[0]).to.equal('aaron');
      expect(names[1]).to.equal('Robert');
      expect(names.slice(2)).to.deep.equal([null, null]);
      expect(list.json.pagination_data.total).to.equal(4);
      const page = await p.post('contacts.list', { page_size: 1, cursor: (await p.post('contacts.list', { page_size: 1 })).json.pagination_data.next_cursor });
      expect(page.json.data[0].display_name).to.equal('Robert');
    });

    it('updates field by field: address merges, null deletes', async () => {
      const created = (await p.post('contacts.create', { display_name: 'Grace', title: 'Rear Admiral', address: { city: 'Arlington', country: 'US' }, metadata: { crm: { id: 7 } } })).json;
      const res = await p.post('contacts.update', { id: created.id, title: null, address: { city: 'New York' }, metadata: { crm: { tier: 'gold' } } });
      expect(res.status, res.text).to.equal(200);
      expect(res.json.title).to.equal(null);
      expect(res.json.address).to.deep.equal({ city: 'New York', country: 'US' });
      expect(res.json.metadata).to.deep.equal({ crm: { id: 7, tier: 'gold' } });
      expect(res.json.display_name).to.equal('Grace');
    });

    it('deletes a contact (204): gone from info, list and its conversation', async () => {
      const res = await p.post('contacts.delete', { id: contactId(carol) });
      expect(res.status, res.text).to.equal(204);
      expectError(await p.post('contacts.info', { id: contactId(carol) }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('contacts.info', { conversation_id: carol }), 404, 'RUNTIME_NOT_FOUND');
      const ids = (await p.post('contacts.list', { page_size: 100 })).json.data.map((c: { id: string }) => c.id);
      expect(ids).to.not.include(contactId(carol));
      expectError(await p.post('contacts.delete', { id: contactId(carol) }), 404, 'RUNTIME_NOT_FOUND');
    });

    it('imports an array of contacts (201)', async () => {
      const res = await p.post('contacts.import', [{ display_name: 'Imported One' }, { display_name: 'Imported Two', locale: 'de_DE' }]);
      expect(res.status, res.text).to.equal(201);
      expect(res.json.data.map((c: { display_name: string }) => c.display_name)).to.deep.equal(['Imported One', 'Imported Two']);
      expect((await info({ id: res.json.data[1].id })).locale).to.equal('de_DE');
    });

    it('links conversations given at creation, moving them from their contact', async () => {
      const res = await p.post('contacts.create', { display_name: 'Bob (CRM)', conversations: { [bob]: 'facebook' } });
      expect(res.status, res.text).to.equal(201);
      expect(res.json.conversations).to.deep.equal({ [bob]: 'facebook' });
      expect((await info({ conversation_id: bob })).id).to.equal(res.json.id);
      expect((await info({ id: contactId(bob) })).conversations).to.deep.equal({});
    });
  });

  describe('contacts.merge', () => {
    it('moves conversations and missing attributes into the destination, records history, deletes the source', async () => {
      const destination = (await p.post('contacts.create', { display_name: 'Ada Lovelace', via: { email: 'ada@example.com' } })).json;
      await p.post('contacts.update', { id: contactId(ada), display_name: 'Ada L.', via: { phone: '+44 20 1234' }, gender: 'female' });
      const res = await p.post('contacts.merge', { source_id: contactId(ada), destination_id: destination.id });
      expect(res.status, res.text).to.equal(200);
      expect(res.json).to.include({ id: destination.id, display_name: 'Ada Lovelace', gender: 'female' });
      expect(res.json.via).to.deep.equal({ email: 'ada@example.com', phone: '+44 20 1234' });
      expect(res.json.conversations).to.deep.equal({ [ada]: 'facebook' });
      expect(res.json.merge_history).to.have.length(1);
      expect(res.json.merge_history[0]).to.include({ id: contactId(ada), display_name: 'Ada L.' });
      expect(res.json.merge_history[0]).to.have.property('merged_at');
      expect((await info({ conversation_id: ada })).id).to.equal(destination.id);
      expectError(await p.post('contacts.info', { id: contactId(ada) }), 404, 'RUNTIME_NOT_FOUND');
    });

    it('answers 400 for a contact merged into itself and 404 for an unknown one', async () => {
      const someone = (await p.post('contacts.create', { display_name: 'Someone' })).json;
      expectError(await p.post('contacts.merge', { source_id: someone.id, destination_id: someone.id }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.merge', { source_id: UNKNOWN, destination_id: someone.id }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('contacts.merge', { source_id: someone.id, destination_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
    });
  });

  describe('contacts.recent-messages', () => {
    it("answers each conversation's newest page, with a cursor back in time", async () => {
      const contact = await info({ conversation_id: ada });
      const res = await p.post('contacts.recent-messages', { contact_id: contact.id, page_size: 2 });
      expect(res.status, res.text).to.equal(200);
      expect(Object.keys(res.json)).to.deep.equal([ada]);
      expect(res.json[ada].data.map((m: { content: any }) => m.content.message.text)).to.deep.equal(['second', 'third']);
      const cursor = res.json[ada].pagination_data.previous_cursor;
      expect(cursor).to.be.a('string');
      const back = await p.post('contacts.recent-messages', { contact_id: contact.id, page_size: 2, cursors: { [ada]: cursor } });
      // messages.list's previous page of a page near the start is the first full page.
      expect(back.json[ada].data.map((m: { content: any }) => m.content.message.text)).to.deep.equal(['first', 'second']);
      const filtered = await p.post('contacts.recent-messages', { contact_id: contact.id, include_sources: ['twilio.sms'] });
      expect(filtered.json).to.deep.equal({});
    });

    it('answers 404 for an unknown contact and 400 for a foreign cursor', async () => {
      expectError(await p.post('contacts.recent-messages', { contact_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      const contact = await info({ conversation_id: ada });
      expectError(await p.post('contacts.recent-messages', { contact_id: contact.id, cursors: { [ada]: 'bm9wZQ' } }), 400, 'RUNTIME_INVALID_CURSOR');
    });
  });

  describe('restart', () => {
    it('loads the contacts from the stores again: same list, same conversation links', async () => {
      const before = (await p.post('contacts.list', { page_size: 100 })).json.data;
      const adaContact = (await info({ conversation_id: ada })).id;
      await p.stop();
      p = await startPlatform({}, { dataDir: p.dataDir, log: p.logConfig });
      const after = (await p.post('contacts.list', { page_size: 100 })).json.data;
      expect(after).to.deep.equal(before);
      expect((await info({ conversation_id: ada })).id).to.equal(adaContact);
    });
  });

  describe('bad input', () => {
    it('answers 400 for malformed bodies on every contacts endpoint', async () => {
      expectError(await p.post('contacts.create', { display_name: 42 }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.create', { avatar_url: 'javascript:alert(1)' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.create', { timezone: 99 }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.create', { via: { 'a.b': 'x' } }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.create', { address: { planet: 'Mars' } }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.create', { conversations: { 'not-an-id': 'facebook' } }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.import', []), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.import', { display_name: 'not an array' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.info', {}), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.info', { id: contactId(bob), conversation_id: bob }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.info', { id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('contacts.update', { display_name: 'no id' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.update', { id: UNKNOWN, display_name: 'x' }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('contacts.delete', { id: 'ADA' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('contacts.list', { cursor: 'bm9wZQ' }), 400, 'RUNTIME_INVALID_CURSOR');
      expectError(await p.post('contacts.recent-messages', {}), 400, 'RUNTIME_INVALID_REQUEST');
    });

    it('answers 401 without a token', async () => {
      expectError(await p.post('contacts.list', {}, { token: null }), 401, 'RUNTIME_UNAUTHORIZED');
    });
  });
});
