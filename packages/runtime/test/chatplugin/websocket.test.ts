import { expect } from 'chai';
import * as net from 'node:net';
import { eventually } from '../helpers.js';
import { openSocket, startChatPlatform, type ChatPlatform, type TestSocket } from './chatplugin-fixture.js';

describe('Chatplugin > Websocket', function () {
  this.timeout(30_000);
  let p: ChatPlatform;
  let channel: string;
  const sockets: TestSocket[] = [];
  const track = (s: TestSocket) => (sockets.push(s), s);

  before(async () => {
    p = await startChatPlatform({ sources: { chatplugin: { websocket: { heartbeatMs: 150, authTimeoutMs: 300 } } } });
    channel = (await p.connectChannel()).id;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.ws.terminate();
  });
  after(() => p.stop());

  const isMessage = (text: string, state?: string) => (f: any) => f.type === 'message' && f.message.content?.text === text && (state === undefined || f.message.delivery_state === state);

  it('authenticates by header and pushes the visitor\'s own message, and an agent\'s reply as pending then delivered', async () => {
    const chat = await p.startChat(channel);
    const socket = track(await p.socket({ token: chat.token }));
    const hello = await socket.next((f) => f.type === 'authenticated');
    expect(hello).to.deep.equal({ type: 'authenticated', conversation_id: chat.conversation_id, channel_id: channel, expires_at: chat.expires_at });
    const sent = await p.post('chatplugin.send', { message: { text: 'Hi there' } }, { token: chat.token });
    const echo = await socket.next(isMessage('Hi there'));
    expect(echo).to.deep.equal({ type: 'message', conversation_id: chat.conversation_id, channel_id: channel, message: sent.json });
    const reply = await p.post('messages.send', { conversation_id: chat.conversation_id, message: { text: 'Hello, how can I help?' } });
    expect(reply.status, reply.text).to.equal(200);
    const pending = await socket.next(isMessage('Hello, how can I help?', 'pending'));
    expect(pending.message).to.include({ id: reply.json.id, from_contact: false, updated_at: null });
    const delivered = await socket.next(isMessage('Hello, how can I help?', 'delivered'));
    expect(delivered.message.id).to.equal(reply.json.id);
    expect(delivered.message.updated_at).to.be.a('string');
    await eventually(async () => {
      const list = await p.post('messages.list', { conversation_id: chat.conversation_id });
      return list.json?.data?.find((m: any) => m.id === reply.json.id)?.delivery_state === 'delivered';
    });
  });

  it('authenticates by a first frame (browsers) and pushes only the socket\'s own conversation', async () => {
    const chat = await p.startChat(channel);
    const other = await p.startChat(channel);
    const socket = track(await p.socket());
    socket.send({ type: 'authenticate', token: chat.token });
    expect((await socket.next((f) => f.type === 'authenticated')).conversation_id).to.equal(chat.conversation_id);
    await p.post('chatplugin.send', { message: { text: 'from the other visitor' } }, { token: other.token });
    await p.post('chatplugin.send', { message: { text: 'mine' } }, { token: chat.token });
    await socket.next(isMessage('mine'));
    // Records are pushed in log order: had the other conversation's message been pushed here, it would have come first.
    expect(socket.frames.filter((f) => f.type === 'message').map((f) => f.conversation_id)).to.deep.equal([chat.conversation_id]);
  });

  it('renews a socket with a fresh chat token of the same conversation, and refuses one of another', async () => {
    const chat = await p.startChat(channel);
    const socket = track(await p.socket({ token: chat.token }));
    await socket.next((f) => f.type === 'authenticated');
    const resume = await p.post('chatplugin.resume-token', {}, { token: chat.token });
    const renewed = await p.post('chatplugin.authenticate', { resume_token: resume.json.resume_token }, { token: null });
    socket.send({ type: 'authenticate', token: renewed.json.token });
    expect((await socket.next((f) => f.type === 'authenticated')).conversation_id).to.equal(chat.conversation_id);
    const stranger = await p.startChat(channel);
    socket.send({ type: 'authenticate', token: stranger.token });
    expect(await socket.closed).to.deep.include({ code: 4403 });
  });

  it('closes with 4401 and a JSON reason after a first frame that is not an authenticate frame', async () => {
    for (const frame of ['hello', { type: 'subscribe' }, { type: 'authenticate' }, { type: 'authenticate', token: 42 }]) {
      const socket = track(await p.socket());
      socket.send(frame);
      const closed = await socket.closed;
      expect(closed.code, JSON.stringify(frame)).to.equal(4401);
      expect(closed.reason.code).to.equal('RUNTIME_UNAUTHORIZED');
      expect(socket.frames).to.deep.equal([{ type: 'error', code: 'RUNTIME_UNAUTHORIZED', message: socket.frames[0].message }]);
    }
  });

  it('closes with 4401 when no authenticate frame comes in time', async () => {
    const socket = track(await p.socket());
    const started = Date.now();
    const closed = await socket.closed;
    expect(closed).to.deep.include({ code: 4401 });
    expect(Date.now() - started).to.be.within(250, 3000);
  });

  it('closes with 4403 for an invalid, expired, foreign or resume token, by header or by frame', async () => {
    const chat = await p.startChat(channel);
    const expired = await p.chatTokens(() => Date.now() - 2 * 3600_000).sign('chat', { conversationId: chat.conversation_id, channelId: channel });
    const resume = (await p.post('chatplugin.resume-token', {}, { token: chat.token })).json.resume_token;
    const jwt = await p.runtime.signToken({ subject: chat.conversation_id, expiresInSeconds: 60 });
    for (const token of ['garbage', expired.token, resume, jwt, p.systemToken!]) {
      const byHeader = track(await p.socket({ token }));
      expect((await byHeader.closed).code).to.equal(4403);
      const byFrame = track(await p.socket());
      byFrame.send({ type: 'authenticate', token });
      const closed = await byFrame.closed;
      expect([closed.code, closed.reason.code]).to.deep.equal([4403, 'RUNTIME_FORBIDDEN']);
    }
  });

  it('closes the sockets of a channel when it is disconnected (4404), and refuses new ones', async () => {
    const doomed = (await p.connectChannel('Doomed')).id;
    const chat = await p.startChat(doomed);
    const socket = track(await p.socket({ token: chat.token }));
    await socket.next((f) => f.type === 'authenticated');
    expect((await p.post('channels.chatplugin.disconnect', { channel_id: doomed })).status).to.equal(204);
    const closed = await socket.closed;
    expect([closed.code, closed.reason.code]).to.deep.equal([4404, 'RUNTIME_NOT_FOUND']);
    const late = track(await p.socket({ token: chat.token }));
    expect((await late.closed).code).to.equal(4404);
  });

  it('terminates a socket that stops answering pings', async () => {
    const chat = await p.startChat(channel);
    const socket = track(await p.socket({ token: chat.token, client: { autoPong: false } }));
    await socket.next((f) => f.type === 'authenticated');
    const closed = await socket.closed;
    expect(closed.code).to.equal(1006);
    const alive = track(await p.socket({ token: chat.token }));
    await alive.next((f) => f.type === 'authenticated');
    await new Promise((r) => setTimeout(r, 600));
    expect(alive.ws.readyState).to.equal(alive.ws.OPEN);
  });

  it('answers 404 to an upgrade request for another path', async () => {
    let status: number | undefined;
    try {
      track(await p.socket({ path: '/ws.elsewhere' }));
    } catch (err) {
      status = (err as { status?: number }).status;
    }
    expect(status).to.equal(404);
    // A raw upgrade request gets the API's error body too.
    const answer = await new Promise<string>((resolve) => {
      const raw = net.connect(Number(new URL(p.runtime.url).port), '127.0.0.1', () =>
        raw.write('GET /nowhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'),
      );
      let text = '';
      raw.on('data', (d) => (text += d.toString()));
      raw.on('close', () => resolve(text));
    });
    expect(answer).to.match(/^HTTP\/1\.1 404/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).code).to.equal('RUNTIME_NOT_FOUND');
  });
});

describe('Chatplugin > Websocket > lifecycle', function () {
  this.timeout(30_000);

  it('refuses a handshake from a page of an origin that is not allowed (403), and takes allowed ones', async () => {
    const p = await startChatPlatform({ sources: { chatplugin: { allowedOrigins: ['https://shop.example'] } } });
    try {
      const channel = (await p.connectChannel()).id;
      const chat = await p.startChat(channel);
      let status: number | undefined;
      try {
        await p.socket({ token: chat.token, headers: { origin: 'https://evil.example' } });
      } catch (err) {
        status = (err as { status?: number }).status;
      }
      expect(status).to.equal(403);
      const allowed = await p.socket({ token: chat.token, headers: { origin: 'https://shop.example' } });
      await allowed.next((f) => f.type === 'authenticated');
      allowed.ws.terminate();
    } finally {
      await p.stop();
    }
  });

  it('stops promptly with sockets open, closing them with 1001', async () => {
    const p = await startChatPlatform();
    const channel = (await p.connectChannel()).id;
    const url = p.runtime.url.replace(/^http/, 'ws') + '/ws.chatplugin';
    const sockets = await Promise.all([0, 1, 2].map(async () => openSocket(url, { token: (await p.startChat(channel)).token })));
    await Promise.all(sockets.map((s) => s.next((f) => f.type === 'authenticated')));
    const unauthenticated = await openSocket(url);
    const started = Date.now();
    await p.stop();
    expect(Date.now() - started).to.be.below(3000);
    for (const s of [...sockets, unauthenticated]) expect((await s.closed).code).to.equal(1001);
    expect(p.runtime.state).to.equal('stopped');
  });

  it('stops even when a client never answers the close frame', async () => {
    const p = await startChatPlatform();
    const channel = (await p.connectChannel()).id;
    const chat = await p.startChat(channel);
    // A raw client that completes the handshake and then reads nothing and answers nothing.
    const port = Number(new URL(p.runtime.url).port);
    const raw = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write(
      `GET /ws.chatplugin HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nAuthorization: Bearer ${chat.token}\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await new Promise<void>((resolve) => raw.once('data', () => resolve()));
    raw.pause();
    const started = Date.now();
    await p.stop();
    expect(Date.now() - started).to.be.below(4000);
    raw.destroy();
  });
});
