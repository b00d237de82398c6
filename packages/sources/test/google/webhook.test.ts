import { expect } from 'chai';
import fc from 'fast-check';
import { GOOGLE_EVENTS_TOPIC, googleConfigSchema, googleSignature, googleWebhook, verifyGoogleSignature, type WebhookRequest } from '../../src/index.js';
import { codeOf, openTempLog } from '../helpers.js';
import { CLIENT_TOKEN, googleFixture } from './google-fixtures.js';

const config = googleConfigSchema.parse({ clientToken: CLIENT_TOKEN, serviceAccount: { clientEmail: 'bot@acme.iam.gserviceaccount.com', privateKey: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' } }) as any;
const post = (body: Buffer, signature?: string): WebhookRequest => ({ method: 'POST', headers: signature === undefined ? {} : { 'x-goog-signature': signature }, query: {}, rawBody: body });

describe('Google Business Messages > webhook', () => {
  let temp: Awaited<ReturnType<typeof openTempLog>>;
  beforeEach(async () => {
    temp = await openTempLog('google-webhook');
    await temp.log.createTopics([{ name: GOOGLE_EVENTS_TOPIC, partitions: 1 }], { ifNotExists: true });
  });
  afterEach(() => temp.cleanup());
  const stored = async () => (await temp.log.read({ topic: GOOGLE_EVENTS_TOPIC, partition: 0 }, 0)).map((r) => r.value!.toString('utf8'));

  it('answers the registration with the secret as plain text when clientToken matches, 401 otherwise; stores neither', async () => {
    const handle = googleWebhook({ config, log: () => temp.log });
    expect(await handle(post(googleFixture('registration.json')))).to.deep.equal({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'a1b2c3-registration-secret' });
    expect(await codeOf(handle(post(Buffer.from('{"clientToken":"another","secret":"s"}'))))).to.equal('SOURCES_SIGNATURE_INVALID');
    expect(await stored()).to.deep.equal([]);
  });

  it('stores a signed event untouched and answers 200', async () => {
    const handle = googleWebhook({ config, log: () => temp.log });
    const body = googleFixture('user-message.json');
    expect((await handle(post(body, googleSignature(CLIENT_TOKEN, body)))).status).to.equal(200);
    expect(await stored()).to.deep.equal([body.toString('utf8')]);
  });

  it('refuses missing, malformed, wrong-key and altered-body signatures with 401, invalid events with 400; stores nothing', async () => {
    const handle = googleWebhook({ config, log: () => temp.log });
    const body = googleFixture('user-message.json');
    const good = googleSignature(CLIENT_TOKEN, body);
    const altered = Buffer.from(body.toString('utf8').replace('Lisbon', 'Porto'));
    for (const [b, sig] of [[body, undefined], [body, 'abc'], [body, good.slice(1)], [body, googleSignature('other', body)], [altered, good]] as [Buffer, string | undefined][]) {
      expect(await codeOf(handle(post(b, sig))), String(sig)).to.equal('SOURCES_SIGNATURE_INVALID');
    }
    for (const text of ['nope', '{"agent":"x","conversationId":"c","requestId":"r","sendTime":"2024-01-01T00:00:00Z"}', '{"agent":"brands/b/agents/a","conversationId":"c","requestId":"r","sendTime":"yesterday"}']) {
      const b = Buffer.from(text);
      expect(await codeOf(handle(post(b, googleSignature(CLIENT_TOKEN, b)))), text).to.equal('SOURCES_INVALID_PAYLOAD');
    }
    expect(await stored()).to.deep.equal([]);
  });

  it('answers 503 SOURCES_LOG_UNAVAILABLE when the log refuses the append', async () => {
    const handle = googleWebhook({ config, log: () => temp.log });
    await temp.log.close();
    const body = googleFixture('typing.json');
    expect(await codeOf(handle(post(body, googleSignature(CLIENT_TOKEN, body))))).to.equal('SOURCES_LOG_UNAVAILABLE');
    await temp.log.open();
  });

  it('property: only the base64 HMAC-SHA512 of exactly these bytes with exactly this client token verifies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.string({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, token, at, flip) => {
        const body = Buffer.from(bytes);
        const sig = googleSignature(token, body);
        expect(verifyGoogleSignature(token, body, sig)).to.equal(true);
        expect(verifyGoogleSignature(`${token}x`, body, sig)).to.equal(false);
        if (body.length > 0) {
          const altered = Buffer.from(body);
          altered[at % body.length] = altered[at % body.length]! ^ flip;
          expect(verifyGoogleSignature(token, altered, sig)).to.equal(false);
        }
      }),
    );
  });
});
