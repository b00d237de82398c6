import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { Log } from '@parley/streams';
import { EMPTY_TWIML, isSourcesError, TWILIO_NAMES, twilioConfigSchema, twilioSignature, twilioWebhook, verifyTwilioSignature, formParams, type WebhookDefinition, type WebhookResponse } from '../../src/index.js';
import { openTempLog } from '../helpers.js';
import { ACCOUNT_SID, AUTH_TOKEN, twilioFixture } from './twilio-fixtures.js';

const PUBLIC_URL = 'https://parley.example/webhooks/twilio-sms';
const config = twilioConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL });
const SMS = TWILIO_NAMES.sms;
const sign = (url: string, body: Buffer) => twilioSignature(AUTH_TOKEN, url, formParams(body.toString('utf8')));

describe('Twilio > signature', () => {
  it("reproduces Twilio's published example (token 12345, https://mycompany.com/myapp.php?foo=1&bar=2)", () => {
    const body = Buffer.from('CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212');
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', formParams(body.toString()))).to.equal('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(verifyTwilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', body, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', undefined)).to.equal(true);
  });

  it('property: a signature verifies its own URL and parameters, in any order, and nothing else (another token, URL, value or an extra parameter)', () => {
    const param = fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(fc.uniqueArray(param, { minLength: 1, maxLength: 8, selector: ([k]) => k }), fc.webUrl(), fc.string({ minLength: 1, maxLength: 5 }), (params, url, extra) => {
        const body = (list: [string, string][]) => Buffer.from(new URLSearchParams(list).toString());
        const header = twilioSignature(AUTH_TOKEN, url, formParams(body(params).toString()));
        expect(verifyTwilioSignature(AUTH_TOKEN, url, body([...params].reverse()), header, undefined)).to.equal(true);
        expect(verifyTwilioSignature(`${AUTH_TOKEN}x`, url, body(params), header, undefined)).to.equal(false);
        expect(verifyTwilioSignature(AUTH_TOKEN, `${url}x`, body(params), header, undefined)).to.equal(false);
        const [first, ...rest] = params;
        const [k, v] = first!;
        expect(verifyTwilioSignature(AUTH_TOKEN, url, body([[k!, `${v}${extra}`], ...rest]), header, undefined)).to.equal(false);
        expect(verifyTwilioSignature(AUTH_TOKEN, url, body([...params, ['ZzExtra', extra]]), header, undefined)).to.equal(false);
      }),
      { numRuns: 100 },
    );
  });

  it('verifies the bodySHA256 variant: the URL with the hash signed alone, the body matching the hash', () => {
    const body = Buffer.from('{"MessageSid":"SM1","MessageStatus":"delivered"}');
    const hash = createHash('sha256').update(body).digest('hex');
    const url = `${PUBLIC_URL}?bodySHA256=${hash}`;
    const header = twilioSignature(AUTH_TOKEN, url);
    expect(verifyTwilioSignature(AUTH_TOKEN, url, body, header, hash)).to.equal(true);
    expect(verifyTwilioSignature(AUTH_TOKEN, url, Buffer.from(`${body.toString()} `), header, hash)).to.equal(false);
  });
});

describe('Twilio > webhook', () => {
  let temp: Awaited<ReturnType<typeof openTempLog>>;
  let hook: WebhookDefinition;
  beforeEach(async () => {
    temp = await openTempLog('twilio');
    await temp.log.createTopics([{ name: SMS.eventsTopic, partitions: 1 }]);
    hook = twilioWebhook(SMS, config, () => temp.log);
  });
  afterEach(() => temp.cleanup());

  const call = async (definition: WebhookDefinition, body: Buffer, signature: string | undefined, query: Record<string, string> = {}): Promise<WebhookResponse | { code: string; status: number; retriable: boolean }> => {
    try {
      return await definition.handle({ method: 'POST', headers: signature === undefined ? {} : { 'x-twilio-signature': signature }, query, rawBody: body });
    } catch (err) {
      if (!isSourcesError(err)) throw err;
      return { code: err.code, status: 0, retriable: err.retriable };
    }
  };
  const stored = async () => (await temp.log.read({ topic: SMS.eventsTopic, partition: 0 }, 0)).map((r) => [r.key?.toString() ?? null, r.value!.toString()]);

  it('stores a signed inbound message untouched, keyed by its MessageSid, and answers empty TwiML as text/xml', async () => {
    const body = twilioFixture('sms-inbound.txt');
    const answer = await call(hook, body, sign(PUBLIC_URL, body));
    expect(answer).to.deep.equal({ status: 200, headers: { 'content-type': 'text/xml' }, body: EMPTY_TWIML });
    expect(await stored()).to.deep.equal([['SM0a1b2c3d4e5f60718293a4b5c6d7e8f9', body.toString()]]);
  });

  it('keys a status callback by the message_id of its signed URL', async () => {
    const body = twilioFixture('status-delivered.txt');
    const answer = await call(hook, body, sign(`${PUBLIC_URL}?message_id=m-1`, body), { message_id: 'm-1' });
    expect((answer as WebhookResponse).status).to.equal(200);
    expect((await stored())[0]![0]).to.equal('m-1');
  });

  it('refuses a missing, invalid or altered signature with SOURCES_SIGNATURE_INVALID and stores nothing', async () => {
    const body = twilioFixture('sms-inbound.txt');
    const good = sign(PUBLIC_URL, body);
    const altered = Buffer.from(body.toString().replace('Hello', 'Hellx'));
    const cases: [Buffer, string | undefined, Record<string, string>][] = [
      [body, undefined, {}],
      [body, '', {}],
      [body, 'not-base64!', {}],
      [body, good.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), {}],
      [altered, good, {}],
      [body, good, { message_id: 'someone-elses' }], // the query is part of the signed URL
      [body, sign('http://parley.internal:8080/webhooks/twilio-sms', body), {}], // signed for another URL than publicUrl
    ];
    for (const [b, s, q] of cases) expect(await call(hook, b, s, q), String(s)).to.deep.equal({ code: 'SOURCES_SIGNATURE_INVALID', status: 0, retriable: false });
    expect(await stored()).to.deep.equal([]);
  });

  it('refuses with a retriable SOURCES_LOG_UNAVAILABLE when the log does not accept the event', async () => {
    const failing = new Proxy(temp.log as Log, { get: (target, prop, receiver) => (prop === 'append' ? () => Promise.reject(new Error('disk full')) : Reflect.get(target, prop, receiver)) });
    const body = twilioFixture('sms-inbound.txt');
    expect(await call(twilioWebhook(SMS, config, () => failing), body, sign(PUBLIC_URL, body))).to.deep.equal({ code: 'SOURCES_LOG_UNAVAILABLE', status: 0, retriable: true });
  });
});
