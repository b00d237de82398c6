import { expect } from 'chai';
import WebSocket from 'ws';
import fc from 'fast-check';
import { closeReason } from '../../src/realtime/communication-socket-hub.js';
import { startWebhooksPlatform, TEST_CHANNEL, testMessage, type WebhooksPlatform } from '../webhooks/webhooks-fixture.js';

interface Client {
  ws: WebSocket;
  frames: any[];
  /** Resolves with the frames once `check` holds; rejects after `timeoutMs` or when the socket closes first. */
  until(check: (frames: any[]) => boolean, timeoutMs?: number): Promise<any[]>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(platform: WebhooksPlatform, query = '', headers: Record<string, string> = { authorization: `Bearer ${platform.runtime.systemToken}` }): Client {
  const ws = new WebSocket(`${platform.runtime.url.replace('http', 'ws')}/ws.communication${query}`, { headers });
  const frames: any[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    for (const w of waiters) w();
  });
  ws.on('close', () => {
    for (const w of waiters) w();
  });
  return {
    ws,
    frames,
    closed,
    until(check, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const test = (): void => {
          if (check(frames)) {
            waiters.delete(test);
            clearTimeout(timer);
            resolve(frames);
          } else if (ws.readyState === ws.CLOSED) {
            waiters.delete(test);
            clearTimeout(timer);
            reject(new Error(`socket closed; frames: ${JSON.stringify(frames)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(test);
          reject(new Error(`condition not met within ${timeoutMs} ms; frames: ${JSON.stringify(frames)}`));
        }, timeoutMs);
        waiters.add(test);
        test();
      });
    },
  };
}

const ready = (frames: any[]): boolean => frames.some((f) => f.type === 'ready');
const texts = (frames: any[]): string[] => frames.filter((f) => f.type === 'event' && f.event.type === 'message.created').map((f) => f.event.payload.message.content.text);

describe('Realtime > close reasons', () => {
  it('property: always JSON within 123 bytes, whatever the message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (message) => {
        const reason = closeReason('RUNTIME_INVALID_REQUEST', message);
        expect(Buffer.byteLength(reason)).to.be.at.most(123);
        expect(JSON.parse(reason).code).to.equal('RUNTIME_INVALID_REQUEST');
      }),
    );
  });
});

describe('Realtime > /ws.communication', function () {
  this.timeout(30_000);
  let platform: WebhooksPlatform;
  const open: Client[] = [];
  beforeEach(async () => {
    platform = await startWebhooksPlatform();
  });
  afterEach(async () => {
    for (const c of open.splice(0)) if (c.ws.readyState !== c.ws.CONNECTING) c.ws.terminate();
    await platform.stop();
  });
  const client = (query?: string, headers?: Record<string, string>): Client => {
    const c = connect(platform, query, headers);
    open.push(c);
    return c;
  };

  it('pushes the events of a message sent through the API', async () => {
    const c = client();
    await c.until(ready);
    await platform.appendChannel(TEST_CHANNEL);
    await platform.appendMessages([testMessage('ws', 1)]);
    await c.until((f) => texts(f).includes('ws #1'));
    const conversationId = testMessage('ws', 1).conversationId;
    const sent = await platform.post('messages.send', { conversation_id: conversationId, message: { text: 'hello from the API' } });
    expect(sent.status, sent.text).to.be.oneOf([200, 202]);
    const frames = await c.until((f) => f.some((x) => x.type === 'event' && x.event.payload?.message?.id === sent.json.id));
    const event = frames.find((x) => x.type === 'event' && x.event.payload?.message?.id === sent.json.id);
    expect(event.event.type).to.equal('message.created');
    expect(event.event.payload.conversation_id).to.equal(conversationId);
    expect(event.cursor).to.be.a('number');
  });

  it('a client that reconnects with its last cursor gets every event it missed, once, in order', async () => {
    const first = client('?events=message.created');
    await first.until(ready);
    await platform.appendMessages([testMessage('cur', 1), testMessage('cur', 2)]);
    await first.until((f) => texts(f).length === 2);
    const lastCursor = first.frames.filter((f) => f.type === 'event').at(-1).cursor;
    first.ws.close();
    await first.closed;
    // Missed while disconnected.
    await platform.appendMessages([testMessage('cur', 3), testMessage('cur', 4)]);
    const again = client(`?events=message.created&cursor=${lastCursor}`);
    await again.until(ready);
    await platform.appendMessages([testMessage('cur', 5)]);
    await again.until((f) => texts(f).length === 3);
    expect(texts(again.frames)).to.deep.equal(['cur #3', 'cur #4', 'cur #5']);
    const cursors = again.frames.filter((f) => f.type === 'event').map((f) => f.cursor);
    expect(cursors).to.deep.equal([...cursors].sort((a, b) => a - b));
    expect(cursors[0]).to.be.greaterThan(lastCursor);
  });

  it('filters by conversation', async () => {
    const wanted = testMessage('one', 1).conversationId;
    const c = client(`?conversation_id=${wanted}`);
    await c.until(ready);
    await platform.appendMessages([testMessage('other', 1), testMessage('one', 1), testMessage('other', 2), testMessage('one', 2)]);
    await c.until((f) => texts(f).length === 2);
    expect(texts(c.frames)).to.deep.equal(['one #1', 'one #2']);
    const ids = c.frames.filter((f) => f.type === 'event').map((f) => f.event.payload.conversation_id ?? f.event.payload.id);
    expect(ids.every((id) => id === wanted)).to.equal(true);
  });

  it('accepts the token in a first authenticate frame (browsers)', async () => {
    const c = client('', {});
    c.ws.on('open', () => c.ws.send(JSON.stringify({ type: 'authenticate', token: platform.runtime.systemToken })));
    await c.until(ready);
  });

  it('refuses a bad token with 4401 and an error frame', async () => {
    const c = client('', { authorization: 'Bearer not-a-valid-token-at-all' });
    const { code } = await c.closed;
    expect(code).to.be.oneOf([4401, 4403]);
    expect(c.frames[0]).to.include({ type: 'error' });
    expect(c.frames[0].code).to.be.oneOf(['RUNTIME_UNAUTHORIZED', 'RUNTIME_FORBIDDEN']);
  });

  it('refuses a first frame that is not an authenticate frame, and a bad cursor', async () => {
    const c = client('', {});
    c.ws.on('open', () => c.ws.send('{"type":"hello"}'));
    expect((await c.closed).code).to.equal(4401);
    const bad = client('?cursor=abc');
    expect((await bad.closed).code).to.equal(4400);
  });
});
