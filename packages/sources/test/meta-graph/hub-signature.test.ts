import { expect } from 'chai';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { hubSignature, verifyHubSignature } from '../../src/index.js';

const SECRET = 'meta-app-secret-0123456789abcdef';
const verify = (body: Buffer, headers: Record<string, string>, acceptSha1 = false) => {
  try {
    verifyHubSignature(body, headers, { appSecret: SECRET, acceptSha1 });
    return 'ok';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('Meta > X-Hub-Signature-256', () => {
  const body = Buffer.from('{"object":"page","entry":[{"id":"1111","time":1,"messaging":[]}]}');

  it('accepts Meta\'s HMAC-SHA256 of the raw bytes (checked against an independent computation)', () => {
    const independent = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect(hubSignature(SECRET, body)).to.equal(independent);
    expect(verify(body, { 'x-hub-signature-256': independent })).to.equal('ok');
    expect(verify(body, { 'x-hub-signature-256': independent.toUpperCase().replace('SHA256=', 'sha256=') })).to.equal('ok');
  });

  it('refuses a missing, malformed, wrong-key, wrong-algorithm or one-byte-altered signature', () => {
    const altered = Buffer.from(body);
    altered[10] = altered[10]! ^ 1;
    const cases: [string, Buffer, Record<string, string>][] = [
      ['missing', body, {}],
      ['empty', body, { 'x-hub-signature-256': '' }],
      ['no prefix', body, { 'x-hub-signature-256': createHmac('sha256', SECRET).update(body).digest('hex') }],
      ['not hex', body, { 'x-hub-signature-256': 'sha256=zz' }],
      ['wrong key', body, { 'x-hub-signature-256': hubSignature('another-secret-0123456789', body) }],
      ['sha1 value under the sha256 header', body, { 'x-hub-signature-256': hubSignature(SECRET, body, 'sha1') }],
      ['sha1 header when not configured', body, { 'x-hub-signature': hubSignature(SECRET, body, 'sha1') }],
      ['altered body', altered, { 'x-hub-signature-256': hubSignature(SECRET, body) }],
      ['truncated', body, { 'x-hub-signature-256': hubSignature(SECRET, body).slice(0, -2) }],
    ];
    for (const [label, b, headers] of cases) expect(verify(b, headers), label).to.equal('SOURCES_SIGNATURE_INVALID');
  });

  it('accepts the legacy X-Hub-Signature (HMAC-SHA1) only when configured, and prefers the SHA-256 header', () => {
    expect(verify(body, { 'x-hub-signature': hubSignature(SECRET, body, 'sha1') }, true)).to.equal('ok');
    expect(verify(body, { 'x-hub-signature': hubSignature(SECRET, body, 'sha1'), 'x-hub-signature-256': 'sha256=00' }, true)).to.equal('SOURCES_SIGNATURE_INVALID');
  });

  it('property: a valid signature of any body is accepted, and any change to the body is refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
        const raw = Buffer.from(bytes);
        const header = { 'x-hub-signature-256': hubSignature(SECRET, raw) };
        expect(verify(raw, header)).to.equal('ok');
        const changed = raw.length === 0 ? Buffer.from([flip]) : Buffer.from(raw);
        if (raw.length > 0) changed[at % raw.length] = changed[at % raw.length]! ^ flip;
        expect(verify(changed, header)).to.equal('SOURCES_SIGNATURE_INVALID');
      }),
      { numRuns: 300 },
    );
  });
});
