import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { channelId } from '@parley/schemas';
import { eventually } from '../helpers.js';
import { expectError } from '../api/communication/platform-fixture.js';
import { chatMessage, startChatPlatform, type ChatPlatform } from './chatplugin-fixture.js';

const UNKNOWN_CHANNEL = channelId('chatplugin', 'never-connected');

describe('Chatplugin > Visitor API', function () {
  this.timeout(30_000);
  let p: ChatPlatform;
  let channel: string;

  before(async () => {
    p = await startChatPlatform({ sources: { chatplugin: { historyPageSize: 3, maxContentBytes: 1024 } } });
    channel = (await p.connectChannel()).id;
  });
  after(() => p.stop());

  const listed = async (conversationId: string) => (await p.post('messages.list', { conversation_id: conversationId, page_size: 100 })).json?.data ?? [];

  describe('chatplugin.authenticate', () => {
    it('starts a new conversation with a random id, a chat token expiring in 1 h and no history, without any other token', async () => {
      const before = Date.now();
      const a = await p.startChat(channel);
      const b = await p.startChat(channel);
      expect(a.conversation_id).to.match(/^[0-9a-f-]{36}$/);
      expect(a.conversation_id).to.not.equal(b.conversation_id);
      expect(a).to.include({ channel_id: channel, resumed: false, previous_cursor: null });
      expect(a.messages).to.deep.equal([]);
      expect(Date.parse(a.expires_at as string) - before).to.be.within(3_595_000, 3_600_000);
    });

    it('resumes a conversation with its resume token: same conversation, a new chat token, its messages oldest first', async () => {
      const chat = await p.startChat(channel);
      for (const text of ['one', 'two']) {
        const sent = await p.post('chatplugin.send', { message: { text } }, { token: chat.token });
        expect(sent.status, sent.text).to.equal(200);
      }
      await eventually(async () => (await listed(chat.conversation_id)).length === 2);
      const resume = await p.post('chatplugin.resume-token', {}, { token: chat.token });
      expect(resume.status, resume.text).to.equal(200);
      const resumed = await p.post('chatplugin.authenticate', { resume_token: resume.json.resume_token }, { token: null });
      expect(resumed.status, resumed.text).to.equal(200);
      expect(resumed.json).to.include({ conversation_id: chat.conversation_id, channel_id: channel, resumed: true, previous_cursor: null });
      expect(resumed.json.token).to.not.equal(chat.token);
      expect(resumed.json.messages.map((m: any) => m.content.text)).to.deep.equal(['one', 'two']);
      expect(resumed.json.messages[0]).to.include({ from_contact: true, delivery_state: 'delivered', source: 'chatplugin' });
    });

    it('lists messages with equal sent_at all, by id, and pages long histories backwards with a cursor', async () => {
      const chat = await p.startChat(channel);
      const conversationId = chat.conversation_id;
      const t = Date.now() - 60_000;
      const ids = ['a', 'b', 'c', 'd'].map((x) => `${x}0000000-0000-4000-8000-000000000000`);
      // Four messages at the same millisecond (Airy kept one of them), then a later one.
      await p.seedMessages([
        ...ids.map((id, i) => chatMessage({ id, conversationId, channelId: channel, sentAt: t, content: JSON.stringify({ text: `same-${i}` }) })),
        chatMessage({ id: randomUUID(), conversationId, channelId: channel, sentAt: t + 1, content: '{"text":"last"}', senderType: 'USER', senderId: 'agent-7' }),
      ]);
      const resume = await p.post('chatplugin.resume-token', {}, { token: chat.token });
      const first = (await p.post('chatplugin.authenticate', { resume_token: resume.json.resume_token }, { token: null })).json;
      expect(first.messages.map((m: any) => m.content.text)).to.deep.equal(['same-2', 'same-3', 'last']);
      expect(first.previous_cursor).to.be.a('string');
      const earlier = await p.post('chatplugin.messages', { cursor: first.previous_cursor }, { token: first.token });
      expect(earlier.status, earlier.text).to.equal(200);
      expect(earlier.json.messages.map((m: any) => m.content.text)).to.deep.equal(['same-0', 'same-1']);
      expect(earlier.json.previous_cursor).to.equal(null);
      const latest = await p.post('chatplugin.messages', { page_size: 10 }, { token: first.token });
      expect(latest.json.messages.map((m: any) => m.id)).to.deep.equal([...ids, first.messages[2].id]);
      expectError(await p.post('chatplugin.messages', { cursor: 'bm90LWEtY3Vyc29y' }, { token: first.token }), 400, 'RUNTIME_INVALID_CURSOR');
    });

    it('refuses an unknown channel, a disconnected one and another source\'s with 404', async () => {
      const other = await p.connectChannel('Soon gone');
      expect((await p.post('channels.chatplugin.disconnect', { channel_id: other.id })).status).to.equal(204);
      expectError(await p.post('chatplugin.authenticate', { channel_id: UNKNOWN_CHANNEL }, { token: null }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('chatplugin.authenticate', { channel_id: other.id }, { token: null }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('chatplugin.authenticate', { channel_id: channelId('facebook', '1') }, { token: null }), 404, 'RUNTIME_NOT_FOUND');
    });

    it('refuses a body with both or neither of channel_id and resume_token, and a chat token as a resume token', async () => {
      const chat = await p.startChat(channel);
      expectError(await p.post('chatplugin.authenticate', {}, { token: null }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('chatplugin.authenticate', { channel_id: channel, resume_token: 'x' }, { token: null }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('chatplugin.authenticate', { resume_token: chat.token }, { token: null }), 403, 'RUNTIME_FORBIDDEN');
      expectError(await p.post('chatplugin.authenticate', { resume_token: 'not.a.token' }, { token: null }), 403, 'RUNTIME_FORBIDDEN');
    });
  });

  describe('chatplugin.resume-token', () => {
    it('mints a resume token with the system token or a user JWT for a conversation of a channel', async () => {
      const chat = await p.startChat(channel);
      const jwt = await p.runtime.signToken({ subject: 'agent-7', expiresInSeconds: 60 });
      for (const token of [p.systemToken!, jwt]) {
        const res = await p.post('chatplugin.resume-token', { channel_id: channel, conversation_id: chat.conversation_id }, { token });
        expect(res.status, res.text).to.equal(200);
        expect(Date.parse(res.json.expires_at) - Date.now()).to.be.within(7 * 86_400_000 - 10_000, 7 * 86_400_000);
        const resumed = await p.post('chatplugin.authenticate', { resume_token: res.json.resume_token }, { token: null });
        expect(resumed.json.conversation_id).to.equal(chat.conversation_id);
      }
      expectError(await p.post('chatplugin.resume-token', { conversation_id: chat.conversation_id }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('chatplugin.resume-token', { channel_id: UNKNOWN_CHANNEL, conversation_id: chat.conversation_id }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('chatplugin.resume-token', { channel_id: channel, conversation_id: chat.conversation_id }, { token: null }), 401, 'RUNTIME_UNAUTHORIZED');
    });

    it('gives a chat token resume tokens for its own conversation only', async () => {
      const chat = await p.startChat(channel);
      const other = await p.startChat(channel);
      expect((await p.post('chatplugin.resume-token', { conversation_id: chat.conversation_id }, { token: chat.token })).status).to.equal(200);
      expectError(await p.post('chatplugin.resume-token', { channel_id: channel, conversation_id: other.conversation_id }, { token: chat.token }), 403, 'RUNTIME_FORBIDDEN');
    });

    it('refuses to mint for a conversation on another channel', async () => {
      const chat = await p.startChat(channel);
      expect((await p.post('chatplugin.send', { message: { text: 'x' } }, { token: chat.token })).status).to.equal(200);
      await eventually(async () => (await listed(chat.conversation_id)).length === 1);
      const second = (await p.connectChannel('Second site')).id;
      expectError(await p.post('chatplugin.resume-token', { channel_id: second, conversation_id: chat.conversation_id }), 404, 'RUNTIME_NOT_FOUND');
    });
  });

  describe('chatplugin.send', () => {
    it('answers the message once logged; it then appears in messages.list and conversations.list as the contact\'s', async () => {
      const chat = await p.startChat(channel);
      const res = await p.post('chatplugin.send', { message: { text: 'Do you ship to Lisbon?' } }, { token: chat.token });
      expect(res.status, res.text).to.equal(200);
      expect(res.json).to.include({ delivery_state: 'delivered', from_contact: true, source: 'chatplugin', updated_at: null });
      expect(res.json.sender).to.deep.equal({ id: chat.conversation_id, type: 'contact' });
      await eventually(async () => (await listed(chat.conversation_id)).length === 1);
      expect((await listed(chat.conversation_id))[0]).to.deep.equal(res.json);
      const conversations = await p.post('conversations.list', { filters: { channel_ids: [channel] }, page_size: 100 });
      const conversation = conversations.json.data.find((c: any) => c.id === chat.conversation_id);
      expect(conversation.last_message.id).to.equal(res.json.id);
      expect(conversation.channel).to.include({ id: channel, source: 'chatplugin', connected: true });
      expect(conversation.metadata.unread_count).to.equal(1);
    });

    it('is idempotent with a client_message_id: a retry gets the same message and the conversation one message', async () => {
      const chat = await p.startChat(channel);
      const body = { message: { text: 'once' }, client_message_id: 'widget-42' };
      const first = await p.post('chatplugin.send', body, { token: chat.token });
      const quick = await p.post('chatplugin.send', body, { token: chat.token });
      expect(quick.json.id).to.equal(first.json.id);
      await eventually(async () => (await listed(chat.conversation_id)).length === 1);
      const late = await p.post('chatplugin.send', body, { token: chat.token });
      expect(late.json).to.deep.equal((await listed(chat.conversation_id))[0]);
      await new Promise((r) => setTimeout(r, 200));
      const messages = await listed(chat.conversation_id);
      expect(messages.map((m: any) => m.id)).to.deep.equal([first.json.id]);
      expect(messages[0].sent_at).to.equal(first.json.sent_at);
    });

    it('refuses content that is not a JSON object or too large, and a bad client_message_id, with 400 naming the field', async () => {
      const chat = await p.startChat(channel);
      for (const message of ['hi', [1], null, { text: 'x'.repeat(2000) }]) {
        const res = await p.post('chatplugin.send', { message }, { token: chat.token });
        expectError(res, 400, 'RUNTIME_INVALID_REQUEST');
      }
      expectError(await p.post('chatplugin.send', { message: { text: 'x' }, client_message_id: 'has space' }, { token: chat.token }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('chatplugin.send', {}, { token: chat.token }), 400, 'RUNTIME_INVALID_REQUEST');
    });

    it('writes only to the chat token\'s conversation, whatever the body says', async () => {
      const chat = await p.startChat(channel);
      const other = await p.startChat(channel);
      const res = await p.post('chatplugin.send', { message: { text: 'mine' }, conversation_id: other.conversation_id }, { token: chat.token });
      expect(res.status).to.equal(200);
      await eventually(async () => (await listed(chat.conversation_id)).length === 1);
      expectError(await p.post('messages.list', { conversation_id: other.conversation_id }), 404, 'RUNTIME_NOT_FOUND');
      const otherHistory = await p.post('chatplugin.messages', {}, { token: other.token });
      expect(otherHistory.json.messages).to.deep.equal([]);
    });
  });

  describe('tokens', () => {
    it('never takes a chat token as the Core API\'s token, nor the system token or a user JWT as a chat token', async () => {
      const chat = await p.startChat(channel);
      expectError(await p.post('conversations.list', {}, { token: chat.token }), 403, 'RUNTIME_FORBIDDEN');
      expectError(await p.post('channels.chatplugin.connect', { name: 'x' }, { token: chat.token }), 403, 'RUNTIME_FORBIDDEN');
      const jwt = await p.runtime.signToken({ subject: chat.conversation_id, expiresInSeconds: 60, claims: { typ: 'chat', conversation_id: chat.conversation_id, channel_id: channel } });
      for (const token of [p.systemToken!, jwt]) {
        expectError(await p.post('chatplugin.send', { message: { text: 'x' } }, { token }), 403, 'RUNTIME_FORBIDDEN');
        expectError(await p.post('chatplugin.messages', {}, { token }), 403, 'RUNTIME_FORBIDDEN');
      }
      expectError(await p.post('chatplugin.send', { message: { text: 'x' } }, { token: null }), 401, 'RUNTIME_UNAUTHORIZED');
    });

    it('refuses an expired chat token (403) and a resume token where a chat token is due', async () => {
      const chat = await p.startChat(channel);
      const past = Date.now() - 2 * 3600_000;
      const expired = await p.chatTokens(() => past).sign('chat', { conversationId: chat.conversation_id, channelId: channel });
      expectError(await p.post('chatplugin.send', { message: { text: 'x' } }, { token: expired.token }), 403, 'RUNTIME_FORBIDDEN');
      expectError(await p.post('chatplugin.resume-token', {}, { token: expired.token }), 403, 'RUNTIME_FORBIDDEN');
      const resume = await p.post('chatplugin.resume-token', {}, { token: chat.token });
      expectError(await p.post('chatplugin.send', { message: { text: 'x' } }, { token: resume.json.resume_token }), 403, 'RUNTIME_FORBIDDEN');
      const expiredResume = await p.chatTokens(() => Date.now() - 8 * 86_400_000).sign('resume', { conversationId: chat.conversation_id, channelId: channel });
      expectError(await p.post('chatplugin.authenticate', { resume_token: expiredResume.token }, { token: null }), 403, 'RUNTIME_FORBIDDEN');
    });

    it('refuses the tokens of a channel once it is disconnected (404)', async () => {
      const doomed = (await p.connectChannel('Doomed')).id;
      const chat = await p.startChat(doomed);
      const resume = await p.post('chatplugin.resume-token', {}, { token: chat.token });
      expect((await p.post('channels.chatplugin.disconnect', { channel_id: doomed })).status).to.equal(204);
      expectError(await p.post('chatplugin.send', { message: { text: 'x' } }, { token: chat.token }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('chatplugin.authenticate', { resume_token: resume.json.resume_token }, { token: null }), 404, 'RUNTIME_NOT_FOUND');
    });
  });

  describe('CORS', () => {
    it('answers preflights of the visitor routes and sets Access-Control-Allow-Origin on answers, errors included', async () => {
      const preflight = await p.request('OPTIONS', 'chatplugin.send', {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      });
      expect(preflight.status).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('*');
      expect(preflight.headers.get('access-control-allow-methods')).to.include('POST');
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).to.include('authorization');
      expect(preflight.headers.get('access-control-allow-credentials')).to.equal(null);
      const error = await p.post('chatplugin.authenticate', {}, { token: null, headers: { origin: 'https://shop.example' } });
      expect(error.status).to.equal(400);
      expect(error.headers.get('access-control-allow-origin')).to.equal('*');
    });

    it('leaves the Core API routes without CORS', async () => {
      const preflight = await p.request('OPTIONS', 'conversations.list', { origin: 'https://shop.example', 'access-control-request-method': 'POST' });
      expect(preflight.status).to.equal(405);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);
    });
  });
});

describe('Chatplugin > Visitor API > configuration', function () {
  this.timeout(30_000);

  it('allows only the configured origins when given', async () => {
    const p = await startChatPlatform({ sources: { chatplugin: { allowedOrigins: ['https://shop.example'] } } });
    try {
      const allowed = await p.request('OPTIONS', 'chatplugin.authenticate', { origin: 'https://shop.example', 'access-control-request-method': 'POST' });
      expect(allowed.headers.get('access-control-allow-origin')).to.equal('https://shop.example');
      const other = await p.request('OPTIONS', 'chatplugin.authenticate', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    } finally {
      await p.stop();
    }
  });

  it('works with the runtime\'s auth turned off, and mints resume tokens for anyone then', async () => {
    const p = await startChatPlatform({ auth: { enabled: false } });
    try {
      const channel = (await p.connectChannel()).id;
      const chat = await p.startChat(channel);
      expect((await p.post('chatplugin.send', { message: { text: 'x' } }, { token: chat.token })).status).to.equal(200);
      expectError(await p.post('chatplugin.send', { message: { text: 'x' } }, { token: null }), 401, 'RUNTIME_UNAUTHORIZED');
      expectError(await p.post('chatplugin.send', { message: { text: 'x' } }, { token: 'garbage' }), 403, 'RUNTIME_FORBIDDEN');
      const minted = await p.post('chatplugin.resume-token', { channel_id: channel, conversation_id: chat.conversation_id }, { token: null });
      expect(minted.status, minted.text).to.equal(200);
      const expired = await p.chatTokens(() => Date.now() - 2 * 3600_000).sign('chat', { conversationId: chat.conversation_id, channelId: channel });
      expectError(await p.post('chatplugin.resume-token', {}, { token: expired.token }), 403, 'RUNTIME_FORBIDDEN');
    } finally {
      await p.stop();
    }
  });

  it('keeps its token key in the data directory across restarts, or takes it from the configuration', async () => {
    const first = await startChatPlatform();
    const channel = (await first.connectChannel()).id;
    const chat = await first.startChat(channel);
    const dataDir = first.runtime.dataDir.root;
    await first.stop();
    const again = await startChatPlatform({ dataDir });
    try {
      expect((await again.post('chatplugin.messages', {}, { token: chat.token })).status).to.equal(200);
    } finally {
      await again.stop();
    }
    const configured = await startChatPlatform({ dataDir, sources: { chatplugin: { tokenSecret: 'a-configured-chat-plugin-secret-0123456789' } } });
    try {
      expectError(await configured.post('chatplugin.messages', {}, { token: chat.token }), 403, 'RUNTIME_FORBIDDEN');
    } finally {
      await configured.stop();
    }
  });

  it('refuses a tokenSecret equal to auth.jwtSecret', async () => {
    const secret = 'the-same-secret-for-both-0123456789abcdef';
    let code: string | undefined;
    try {
      const p = await startChatPlatform({ auth: { jwtSecret: secret }, sources: { chatplugin: { tokenSecret: secret } } });
      await p.stop();
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).to.equal('RUNTIME_CONFIG_INVALID');
  });
});
