import { expect } from 'chai';
import fc from 'fast-check';
import { viberSignature, verifyViberSignature, viberWebhook, VIBER_EVENTS_TOPIC, viberConfigSchema, type WebhookRequest } from '../../src/index.js';
import { codeOf, openTempLog } from '../helpers.js';
import { AUTH_TOKEN, viberFixture } from './viber-fixtures.js';

const config = viberConfigSchema.parse({ authToken: AUTH_TOKEN, webhookUrl: 'https://parley.example/webhooks/viber', welcomeMessage: { type: 'text', text: 'Welcome!' } }) as any;

const post = (body: Buffer, signature: string | undefined): WebhookRequest => ({
  method: 'POST',
  headers: signature === undefined ? {} : { 'x-viber-content-signature': signature },
  query: {},
  rawBody: body,
});

describe('Viber > webhook', () => {
  let temp: Awaited<ReturnType<typeof openTempLog>>;
  beforeEach(async () => {
    temp = await openTempLog('viber-webhook');
    await temp.log.createTopics([{ name: VIBER_EVENTS_TOPIC, partitions: 1 }], { ifNotExists: true });
  });
  afterEach(() => temp.cleanup());
  const stored = async () => (await temp.log.read({ topic: VIBER_EVENTS_TOPIC, partition: 0 }, 0)).map((r) => r.value!.toString('utf8'));

  it('stores a signed callback untouched (the 64-bit token too) and answers 200', async () => {
    const handle = viberWebhook({ config, log: () => temp.log });
    const body = viberFixture('message-text.json');
    const res = await handle(post(body, viberSignature(AUTH_TOKEN, body)));
    expect(res.status).to.equal(200);
    expect(await stored()).to.deep.equal([body.toString('utf8')]);
    expect(body.toString('utf8')).to.include('5741311803571721087');
  });

  it('refuses a missing, malformed, wrong-key or altered-body signature with 401 and stores nothing', async () => {
    const handle = viberWebhook({ config, log: () => temp.log });
    const body = viberFixture('message-text.json');
    const good = viberSignature(AUTH_TOKEN, body);
    const altered = Buffer.from(body.toString('utf8').replace('a message', 'b message'));
    const cases: [Buffer, string | undefined][] = [
      [body, undefined],
      [body, ''],
      [body, good.slice(0, 63)],
      [body, `sha256=${good}`],
      [body, viberSignature('another-token', body)],
      [altered, good],
    ];
    for (const [b, sig] of cases) expect(await codeOf(handle(post(b, sig))), String(sig)).to.equal('SOURCES_SIGNATURE_INVALID');
    // Hex case does not matter.
    expect((await handle(post(body, good.toUpperCase()))).status).to.equal(200);
    expect(await stored()).to.have.length(1);
  });

  it('refuses a signed body that is not a valid callback with 400 SOURCES_INVALID_PAYLOAD and stores nothing', async () => {
    const handle = viberWebhook({ config, log: () => temp.log });
    for (const text of ['not json', '{"event":"message","timestamp":1}', '{"timestamp":1}', '{"event":"delivered","timestamp":1,"message_token":-3}']) {
      const body = Buffer.from(text);
      expect(await codeOf(handle(post(body, viberSignature(AUTH_TOKEN, body)))), text).to.equal('SOURCES_INVALID_PAYLOAD');
    }
    expect(await stored()).to.deep.equal([]);
  });

  it('answers conversation_started with the configured welcome message and its sender', async () => {
    const handle = viberWebhook({ config, log: () => temp.log });
    const body = viberFixture('conversation-started.json');
    const res = await handle(post(body, viberSignature(AUTH_TOKEN, body)));
    expect(res).to.deep.equal({ status: 200, body: { sender: { name: 'Parley' }, type: 'text', text: 'Welcome!' } });
  });

  it('answers 503 SOURCES_LOG_UNAVAILABLE when the log refuses the append', async () => {
    const handle = viberWebhook({ config, log: () => temp.log });
    await temp.log.close();
    const body = viberFixture('webhook.json');
    expect(await codeOf(handle(post(body, viberSignature(AUTH_TOKEN, body))))).to.equal('SOURCES_LOG_UNAVAILABLE');
    await temp.log.open();
  });

  it('property: only the HMAC-SHA256 of exactly these bytes with exactly this token verifies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.string({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, token, at, flip) => {
        const body = Buffer.from(bytes);
        const sig = viberSignature(token, body);
        expect(verifyViberSignature(token, body, sig)).to.equal(true);
        expect(verifyViberSignature(`${token}x`, body, sig)).to.equal(false);
        if (body.length > 0) {
          const altered = Buffer.from(body);
          altered[at % body.length] = altered[at % body.length]! ^ flip;
          expect(verifyViberSignature(token, altered, sig)).to.equal(false);
        }
        const tampered = (parseInt(sig[0]!, 16) ^ 1).toString(16) + sig.slice(1);
        expect(verifyViberSignature(token, body, tampered)).to.equal(false);
      }),
    );
  });
});
