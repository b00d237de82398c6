import { expect } from 'chai';
import { channelId, conversationId } from '@parley/schemas';
import { SMS_CHANNEL, facebookChannel, facebookConversation, facebookMessage, smsChannel } from '@parley/communication/testing';
import { forEachBackend } from '../../helpers.js';
import { expectError, startPlatform, type TestPlatform } from './platform-fixture.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const OFFLINE_CHANNEL = channelId('facebook', '999000999');

forEachBackend('Api > Communication > Messages', function (backend) {
  this.timeout(30_000);
  let p: TestPlatform;
  const ada = facebookConversation('psid-ada');
  const now = Date.now();
  const inbound = facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: now - 5000, text: 'Where is my parcel?' });
  const failed = facebookMessage({ psid: 'psid-ada', mid: 'm_out', sentAt: now - 4000, senderType: 'USER', deliveryState: 'FAILED', updatedAt: now - 3900 });
  const pending = facebookMessage({ psid: 'psid-ada', mid: 'm_pending', sentAt: now - 3000, senderType: 'USER', deliveryState: 'PENDING' });

  before(async () => {
    p = await startPlatform({}, { log: backend.freshLog() });
    const offline = facebookChannel({ id: OFFLINE_CHANNEL, sourceChannelId: '999000999', connectionState: 'DISCONNECTED' });
    await p.seed({ channels: [facebookChannel(), smsChannel(), offline], messages: [inbound, failed, pending, facebookMessage({ psid: 'psid-bob', mid: 'm_bob', sentAt: now - 6000 })] });
  });
  after(() => p.stop());

  describe('messages.list', () => {
    it("lists the conversation's messages oldest first, in pages", async () => {
      const all = await p.post('messages.list', { conversation_id: ada });
      expect(all.status, all.text).to.equal(200);
      expect(all.json.data.map((m: { id: string }) => m.id)).to.deep.equal([inbound.id, failed.id, pending.id]);
      expect(all.json.data[0]).to.include({ from_contact: true, delivery_state: 'delivered', source: 'facebook' });
      const first = await p.post('messages.list', { conversation_id: ada, page_size: 2 });
      expect(first.json.pagination_data).to.include({ previous_cursor: null, total: 3 });
      const next = await p.post('messages.list', { conversation_id: ada, page_size: 2, cursor: first.json.pagination_data.next_cursor });
      expect(next.json.data.map((m: { id: string }) => m.id)).to.deep.equal([pending.id]);
    });

    it('answers 404 for an unknown conversation, 400 for a foreign cursor or a missing id', async () => {
      expectError(await p.post('messages.list', { conversation_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      // A conversations.list cursor is not a messages.list cursor.
      const conversationCursor = (await p.post('conversations.list', { page_size: 1 })).json.pagination_data.next_cursor;
      expect(conversationCursor).to.be.a('string');
      expectError(await p.post('messages.list', { conversation_id: ada, cursor: conversationCursor }), 400, 'RUNTIME_INVALID_CURSOR');
      expectError(await p.post('messages.list', { conversation_id: ada, cursor: 'garbage!' }), 400, 'RUNTIME_INVALID_CURSOR');
      expectError(await p.post('messages.list', {}), 400, 'RUNTIME_INVALID_REQUEST');
    });
  });

  describe('messages.send', () => {
    it('answers the PENDING message, and the next list shows it (read-your-writes)', async () => {
      const res = await p.post('messages.send', { conversation_id: ada, message: { text: 'On its way!' } });
      expect(res.status, res.text).to.equal(200);
      expect(res.json).to.include({ delivery_state: 'pending', from_contact: false, conversation_id: ada, source: 'facebook', updated_at: null });
      expect(res.json.content).to.deep.equal({ text: 'On its way!' });
      expect(res.json.sender).to.deep.equal({ id: 'system', type: 'app' });
      const messages = await p.post('messages.list', { conversation_id: ada, page_size: 100 });
      expect(messages.json.data.at(-1).id).to.equal(res.json.id);
      const listed = await p.post('conversations.list', {});
      expect(listed.json.data[0].id).to.equal(ada);
      expect(listed.json.data[0].last_message.id).to.equal(res.json.id);
    });

    it('sends as the JWT subject for a user token', async () => {
      const token = await p.runtime.signToken({ subject: 'agent-7', expiresInSeconds: 60 });
      const res = await p.post('messages.send', { conversation_id: ada, message: 'plain text' }, { token });
      expect(res.status, res.text).to.equal(200);
      expect(res.json.sender).to.deep.equal({ id: 'agent-7', type: 'user' });
      expect(res.json.content).to.equal('plain text');
    });

    it('starts a conversation with channel_id + source_recipient_id under the id the contact answers in', async () => {
      const res = await p.post('messages.send', { channel_id: SMS_CHANNEL, source_recipient_id: '+4917700099', message: { Body: 'Your code is 1234' } });
      expect(res.status, res.text).to.equal(200);
      expect(res.json.conversation_id).to.equal(conversationId(SMS_CHANNEL, '+4917700099'));
      const info = await p.post('conversations.info', { conversation_id: res.json.conversation_id });
      expect(info.status, info.text).to.equal(200);
      expect(info.json.last_message.id).to.equal(res.json.id);
    });

    it('answers 400 when neither or both ways of naming the conversation are given, or the message is missing', async () => {
      expectError(await p.post('messages.send', { message: { text: 'x' } }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('messages.send', { conversation_id: ada, channel_id: SMS_CHANNEL, source_recipient_id: '+49', message: {} }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('messages.send', { channel_id: SMS_CHANNEL, message: {} }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('messages.send', { conversation_id: ada }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('messages.send', { conversation_id: 12, message: {} }), 400, 'RUNTIME_INVALID_REQUEST');
    });

    it('answers 404 for an unknown conversation or channel, 409 for a disconnected channel', async () => {
      expectError(await p.post('messages.send', { conversation_id: UNKNOWN, message: {} }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('messages.send', { channel_id: UNKNOWN, source_recipient_id: '+49', message: {} }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('messages.send', { channel_id: OFFLINE_CHANNEL, source_recipient_id: 'psid-x', message: {} }), 409, 'RUNTIME_STATE');
    });
  });

  describe('messages.resend', () => {
    it('answers 409 for a message that did not fail, 404 for an unknown one, 400 without an id', async () => {
      expectError(await p.post('messages.resend', { message_id: pending.id }), 409, 'RUNTIME_STATE');
      expectError(await p.post('messages.resend', { message_id: inbound.id }), 409, 'RUNTIME_STATE');
      expectError(await p.post('messages.resend', { message_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('messages.resend', {}), 400, 'RUNTIME_INVALID_REQUEST');
    });

    it('sets a failed message back to PENDING, visible in the next list; a second resend is 409', async () => {
      const res = await p.post('messages.resend', { message_id: failed.id });
      expect(res.status, res.text).to.equal(200);
      expect(res.json).to.include({ id: failed.id, delivery_state: 'pending', conversation_id: ada });
      expect(res.json.sent_at).to.equal(new Date(failed.sentAt).toISOString());
      const listed = await p.post('messages.list', { conversation_id: ada, page_size: 100 });
      expect(listed.json.data.find((m: { id: string }) => m.id === failed.id).delivery_state).to.equal('pending');
      expectError(await p.post('messages.resend', { message_id: failed.id }), 409, 'RUNTIME_STATE');
    });
  });
});
