import { expect } from 'chai';
import fc from 'fast-check';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { HttpSender } from '../../src/webhooks/http-sender.js';
import { decodeJob, encodeJob, type DeliveryJob } from '../../src/webhooks/queue/delivery-queue.js';
import { parseRetryAfter, retryDelayMs } from '../../src/webhooks/retry-schedule.js';
import { generateSigningSecret, signatureHeaders } from '../../src/webhooks/signing.js';
import { isNonPublicAddress, refuseTarget } from '../../src/webhooks/ssrf-guard.js';
import { decodeEvent, encodeEvent, type WebhookEvent } from '../../src/webhooks/webhook-events.js';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from '../../src/webhooks/webhooks-config.js';

describe('Webhooks > signatures', () => {
  it('property: every delivery verifies with the standardwebhooks package, for any body and id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), (text, id) => {
        const secret = generateSigningSecret();
        const body = JSON.stringify({ type: 'message.created', payload: { text }, timestamp: 1 });
        const now = Date.now();
        const headers = signatureHeaders(id, body, [secret], now);
        expect(new StandardWebhook(secret).verify(body, headers)).to.deep.equal(JSON.parse(body));
      }),
      { numRuns: 200 },
    );
  });

  it('property: a changed body or a foreign secret never verifies', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (text) => {
        const secret = generateSigningSecret();
        const body = JSON.stringify({ text });
        const headers = signatureHeaders('evt_1', body, [secret], Date.now());
        expect(() => new StandardWebhook(secret).verify(JSON.stringify({ text: `${text}!` }), headers)).to.throw();
        expect(() => new StandardWebhook(generateSigningSecret()).verify(body, headers)).to.throw();
      }),
      { numRuns: 100 },
    );
  });

  it('signs with every active secret, space-separated; none without a secret', () => {
    const [a, b] = [generateSigningSecret(), generateSigningSecret()];
    const headers = signatureHeaders('evt_2', '{}', [a, b], Date.now());
    expect(headers['webhook-signature']!.split(' ')).to.have.length(2);
    for (const s of [a, b]) new StandardWebhook(s).verify('{}', headers);
    expect(signatureHeaders('evt_2', '{}', [], Date.now())).to.not.have.property('webhook-signature');
  });
});

describe('Webhooks > stored jobs and events', () => {
  const body = fc.string({ unit: 'grapheme', maxLength: 500 }).map((text) => JSON.stringify({ type: 'message.created', payload: { text }, timestamp: 1 }));
  const text = fc.string({ unit: 'grapheme', maxLength: 60 });

  it('property: a job reads back as written, its body stored as it is (not escaped into another JSON string)', () => {
    fc.assert(
      fc.property(body, text, text, fc.constantFrom('event', 'replay', 'dead-letter-replay' as const), (b, id, lane, origin) => {
        const job: DeliveryJob = { eventId: `evt_${id}`, webhookId: 'w1', lane, body: b, origin };
        const stored = encodeJob(job);
        expect(decodeJob(stored)).to.deep.equal(job);
        expect(stored.endsWith(`\n${b}`)).to.equal(true);
      }),
    );
  });

  it('property: an event reads back as written, its body stored as it is', () => {
    fc.assert(
      fc.property(body, text, fc.nat(), (b, lane, loggedAt) => {
        const event: WebhookEvent = { id: 'evt_1', type: 'message.created', lane, loggedAt, body: b };
        const stored = encodeEvent(event);
        expect(decodeEvent(stored)).to.deep.equal(event);
        expect(stored.toString('utf8').endsWith(`\n${b}`)).to.equal(true);
      }),
    );
  });

  it('jobs and events stored in the earlier form (one JSON object) are still read', () => {
    const b = JSON.stringify({ type: 'tag.updated', payload: { id: 't', name: 'a\nb' }, timestamp: 2 });
    expect(decodeJob(JSON.stringify({ e: 'evt_1', w: 'w1', l: 'w1 tag:t', b, o: 'replay' }))).to.deep.equal({ eventId: 'evt_1', webhookId: 'w1', lane: 'w1 tag:t', body: b, origin: 'replay' });
    const event: WebhookEvent = { id: 'evt_2', type: 'tag.updated', lane: 'tag:t', loggedAt: 5, body: b };
    expect(decodeEvent(Buffer.from(JSON.stringify(event)))).to.deep.equal(event);
  });
});

describe('Webhooks > retry schedule', () => {
  it('property: each delay is the schedule step ±20 %, and the schedule ends', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 12 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (schedule, random) => {
        schedule.forEach((seconds, i) => {
          const delay = retryDelayMs(i + 1, schedule, random)!;
          expect(delay).to.be.at.least(Math.floor(seconds * 1000 * 0.8));
          expect(delay).to.be.at.most(Math.ceil(seconds * 1000 * 1.2));
        });
        expect(retryDelayMs(schedule.length + 1, schedule, random)).to.equal(undefined);
      }),
    );
  });

  it('the default is the Standard Webhooks example schedule (about three days, nine retries)', () => {
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS).to.have.length(9);
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0) / 3600).to.be.within(70, 80);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at a day', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).to.equal(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).to.equal(30_000);
    expect(parseRetryAfter('999999999', now)).to.equal(24 * 3600 * 1000);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
  });
});

describe('Webhooks > SSRF guard', () => {
  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', 'not-an-ip']) {
      expect(isNonPublicAddress(a), a).to.equal(true);
    }
    for (const a of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isNonPublicAddress(a), a).to.equal(false);
  });

  it('property: every 10/8 and 127/8 address is refused, as IPv4 or IPv4-mapped IPv6', () => {
    fc.assert(
      fc.property(fc.constantFrom(10, 127), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b, c, d) => {
        expect(isNonPublicAddress(`${a}.${b}.${c}.${d}`)).to.equal(true);
        expect(isNonPublicAddress(`::ffff:${a}.${b}.${c}.${d}`)).to.equal(true);
      }),
    );
  });

  it('lets loopback through only when private networks are allowed', async () => {
    expect(await refuseTarget('http://127.0.0.1:1/x', false)).to.be.a('string');
    expect(await refuseTarget('http://127.0.0.1:1/x', true)).to.equal(undefined);
    expect(await refuseTarget('gopher://127.0.0.1/x', true)).to.be.a('string');
  });

  it('refuses at delivery time too: a name resolving to loopback is never connected to', async () => {
    const sender = new HttpSender({ timeoutMs: 2000, allowPrivateNetworks: false });
    try {
      const result = await sender.send('http://localhost:9/hook', '{}', {});
      expect(result.status).to.equal(null);
      expect(result.error).to.match(/refused: localhost resolves to the non-public address/);
    } finally {
      sender.close();
    }
  });
});
