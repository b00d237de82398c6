import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { facebookConfigSchema, FACEBOOK_EVENTS_TOPIC, facebookTopics, facebookWebhook, hubSignature } from '../../src/index.js';
import { codeOf, openTempLog } from '../helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECRET = 'meta-app-secret-0123456789abcdef';
const config = facebookConfigSchema.parse({ appId: '424242', appSecret: SECRET, verifyToken: 'verify-token-42' });
const post = (body: Buffer, headers: Record<string, string> = { 'x-hub-signature-256': hubSignature(SECRET, body) }) => ({ method: 'POST' as const, headers, query: {}, rawBody: body });

describe('Facebook > Webhook', () => {
  let env: Awaited<ReturnType<typeof openTempLog>>;
  beforeEach(async () => {
    env = await openTempLog('facebook-webhook');
    await env.log.createTopics(facebookTopics());
  });
  afterEach(() => env.cleanup());

  const stored = async () => (await env.log.read({ topic: FACEBOOK_EVENTS_TOPIC, partition: 0 }, 0)).map((r) => [r.key?.toString(), r.value?.toString('utf8')]);

  it('stores the raw body untouched, keyed by page id, and answers 200 only after the append', async () => {
    const body = fs.readFileSync(path.join(here, 'fixtures', 'echoes.json'));
    const handle = facebookWebhook(config, () => env.log);
    expect(await handle(post(body))).to.deep.equal({ status: 200, body: { ok: true } });
    expect(await stored()).to.deep.equal([['1111', body.toString('utf8')]]);
  });

  it('refuses before storing: bad signature 401, envelope not a page batch or over 1000 entries 400', async () => {
    const handle = facebookWebhook(config, () => env.log);
    const entry = { id: '1111', time: 1, messaging: [] };
    const cases: [Buffer, string][] = [
      [Buffer.from('{"object":"page","entry":[]}'), 'SOURCES_INVALID_PAYLOAD'],
      [Buffer.from(JSON.stringify({ object: 'page', entry: Array(1001).fill(entry) })), 'SOURCES_INVALID_PAYLOAD'],
      [Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [entry] })), 'SOURCES_INVALID_PAYLOAD'],
      [Buffer.from('not json'), 'SOURCES_INVALID_PAYLOAD'],
    ];
    for (const [body, code] of cases) expect(await codeOf(handle(post(body)))).to.equal(code);
    const ok = Buffer.from(JSON.stringify({ object: 'page', entry: [entry] }));
    expect(await codeOf(handle(post(ok, { 'x-hub-signature-256': hubSignature('wrong-secret-0123456789', ok) })))).to.equal('SOURCES_SIGNATURE_INVALID');
    expect(await stored()).to.deep.equal([]);
    // 1000 entries is Meta's batch limit, and accepted.
    expect((await handle(post(Buffer.from(JSON.stringify({ object: 'page', entry: Array(1000).fill(entry) }))))).status).to.equal(200);
  });

  it('answers 503 SOURCES_LOG_UNAVAILABLE when the log refuses the append, so Meta retries', async () => {
    const handle = facebookWebhook(config, () => env.log);
    await env.log.close();
    const body = Buffer.from('{"object":"page","entry":[{"id":"1111","messaging":[]}]}');
    expect(await codeOf(handle(post(body)))).to.equal('SOURCES_LOG_UNAVAILABLE');
    await env.log.open();
  });

  it('answers the handshake with the challenge only for mode subscribe and the right token (403 otherwise)', async () => {
    const handle = facebookWebhook(config, () => env.log);
    const get = (query: Record<string, string>) => handle({ method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0) });
    expect(await get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-token-42', 'hub.challenge': '15' })).to.deep.equal({ status: 200, body: '15' });
    expect(await codeOf(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-token-43', 'hub.challenge': '15' }))).to.equal('SOURCES_TOKEN_INVALID');
    expect(await codeOf(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-token-42' }))).to.equal('SOURCES_TOKEN_INVALID');
    expect(await codeOf(get({}))).to.equal('SOURCES_TOKEN_INVALID');
  });
});
