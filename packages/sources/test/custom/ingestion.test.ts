import { expect } from 'chai';
import * as crypto from 'node:crypto';
import { channelId, conversationId, messageId } from '@parley/schemas';
import type { Log } from '@parley/streams';
import type { EmbeddedLog } from '@parley/streams/embedded';
import {
  bearerToken,
  createCustomPayloadAcceptor,
  CUSTOM_EVENTS_TOPIC,
  hashSourceToken,
  isSourcesError,
  parseCustomPayload,
  sourceTokenMatches,
  type CustomPayloadAcceptor,
  type CustomSourceManager,
} from '../../src/index.js';
import { fixture, managerOn, openTempLog } from '../helpers.js';

/** An answer as `POST /sources.webhook` gives it: the ids, or the SourcesError's code and message. */
type Answer = { status: 'ok'; body: { messages: unknown[] } } | { status: 'error'; code: string; message: string; retriable: boolean };

describe('Custom > Ingestion (the core of sources.webhook)', () => {
  let log: EmbeddedLog;
  let cleanup: () => Promise<void>;
  let manager: CustomSourceManager;
  let accept: CustomPayloadAcceptor;
  let token: string;
  const events = () => log.read({ topic: CUSTOM_EVENTS_TOPIC, partition: 0 }, 0);

  /** The route's steps in its order: the one source-token check, the body's validation, the append. */
  const ingestWith = async (acceptor: CustomPayloadAcceptor, rawBody: Buffer, authorization?: string): Promise<Answer> => {
    try {
      const source = await manager.authenticate(bearerToken(authorization === undefined ? {} : { authorization }));
      return { status: 'ok', body: { messages: await acceptor(source, parseCustomPayload(rawBody), rawBody) } };
    } catch (err) {
      if (!isSourcesError(err)) throw err;
      return { status: 'error', code: err.code, message: err.message, retriable: err.retriable };
    }
  };
  const handler = (rawBody: Buffer, authorization?: string) => ingestWith(accept, rawBody, authorization);

  beforeEach(async () => {
    ({ log, cleanup } = await openTempLog('webhook'));
    manager = await managerOn(log);
    ({ token } = await manager.create({ id: 'acme' }));
    accept = createCustomPayloadAcceptor({ log, clock: () => 1_700_000_000_123 });
  });
  afterEach(() => cleanup());

  it('accepts a payload with the source token, appends the raw body untouched under the source id, and answers the ids', async () => {
    const body = fixture('inbound-messages.json');
    const res = await handler(body, `Bearer ${token}`);
    expect(res.status).to.equal('ok');
    const channel = channelId('acme', 'account-1');
    expect(res.status === 'ok' && res.body).to.deep.equal({
      messages: ['msg-0001', 'msg-0002'].map((id) => ({ source_message_id: id, message_id: messageId(channel, id), conversation_id: conversationId(channel, 'contact-42'), channel_id: channel })),
    });
    const stored = await events();
    expect(stored.map((r) => [r.key!.toString(), r.value!.equals(body), r.timestamp])).to.deep.equal([['acme', true, 1_700_000_000_123]]);
  });

  it('answers the same ids to a retry of the same payload', async () => {
    const first = await handler(fixture('inbound-messages.json'), `Bearer ${token}`);
    const second = await handler(fixture('inbound-messages.json'), `Bearer ${token}`);
    expect(first.status).to.equal('ok');
    expect(second).to.deep.equal(first);
  });

  it('refuses a missing token with SOURCES_TOKEN_MISSING (401), a malformed, unknown or wrong one with SOURCES_TOKEN_INVALID (403), and writes nothing', async () => {
    const other = await manager.create({ id: 'other' });
    const wrongSecret = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const wrongSource = `psrc.other.${token.split('.')[2]}`;
    for (const auth of [undefined, 'Basic abc', 'Bearer']) {
      const res = await handler(fixture('inbound-messages.json'), auth);
      expect(res.status === 'error' && res.code, String(auth)).to.equal('SOURCES_TOKEN_MISSING');
    }
    for (const auth of [`Bearer ${wrongSecret}`, `Bearer ${wrongSource}`, `Bearer psrc.nobody.${'a'.repeat(43)}`, `Bearer ${token}x`, 'Bearer not-a-source-token']) {
      const res = await handler(fixture('inbound-messages.json'), auth);
      expect(res.status === 'error' && res.code, String(auth)).to.equal('SOURCES_TOKEN_INVALID');
    }
    expect((await handler(fixture('inbound-messages.json'), `Bearer ${other.token}`)).status).to.equal('ok');
    expect((await events()).map((r) => r.key!.toString())).to.deep.equal(['other']);
  });

  it('compares the token through timingSafeEqual over two 32-byte SHA-256 digests', () => {
    const stored = hashSourceToken(token);
    const seen: [Buffer, Buffer][] = [];
    const spy = (a: Buffer, b: Buffer): boolean => {
      seen.push([a, b]);
      return crypto.timingSafeEqual(a, b);
    };
    const wrong = `${token.slice(0, -1)}${token.endsWith('Z') ? 'Y' : 'Z'}`;
    expect([sourceTokenMatches(token, stored, spy), sourceTokenMatches(wrong, stored, spy)]).to.deep.equal([true, false]);
    expect(seen.map(([a, b]) => [a.length, b.length])).to.deep.equal([[32, 32], [32, 32]]);
    expect(seen[0]![0].equals(crypto.createHash('sha256').update(token).digest())).to.equal(true);
    // A malformed stored value is refused without a comparison that could throw on lengths.
    expect(sourceTokenMatches(token, 'sha256:00', spy)).to.equal(false);
    expect(sourceTokenMatches(token, 'plain-text-token', spy)).to.equal(false);
  });

  it('refuses invalid bodies with SOURCES_INVALID_PAYLOAD (400) naming the field, and writes nothing', async () => {
    const cases: [Buffer, string][] = [
      [Buffer.from('not json'), 'body'],
      [Buffer.from('{}'), 'messages'],
      [fixture('invalid-sent-at.json'), 'messages.0.sent_at'],
      [Buffer.from(JSON.stringify({ messages: [{ source_message_id: 'x', source_channel_id: 'c', sent_at: 1, content: 1, from_contact: true }] })), 'messages.0.source_conversation_id'],
      [Buffer.from(JSON.stringify({ metadata: [{ namespace: 'contact', source_channel_id: 'c', source_id: 'x', metadata: {} }] })), 'metadata.0.namespace'],
      [Buffer.from(JSON.stringify({ metadata: [{ namespace: 'conversation', source_channel_id: 'c', source_id: 'x', metadata: { 'a.b': 1 } }] })), 'metadata.0.metadata'],
    ];
    for (const [body, field] of cases) {
      const res = await handler(body, `Bearer ${token}`);
      expect(res.status === 'error' && [res.code, res.message.includes(field)], field).to.deep.equal(['SOURCES_INVALID_PAYLOAD', true]);
    }
    expect(await events()).to.deep.equal([]);
  });

  it('refuses with a retriable SOURCES_LOG_UNAVAILABLE (503), not an answer, when the log does not accept the payload', async () => {
    const failing = new Proxy(log as Log, {
      get: (target, prop, receiver) => (prop === 'append' ? () => Promise.reject(new Error('disk full')) : Reflect.get(target, prop, receiver)),
    });
    const res = await ingestWith(createCustomPayloadAcceptor({ log: failing }), fixture('inbound-messages.json'), `Bearer ${token}`);
    expect(res.status === 'error' && [res.code, res.retriable]).to.deep.equal(['SOURCES_LOG_UNAVAILABLE', true]);
  });
});
