import { expect } from 'chai';
import fc from 'fast-check';
import { createLogger, redact, REDACTED, SecretSet } from '../../src/index.js';

describe('Config > redact', () => {
  it('replaces strings under secret-named keys at any depth', () => {
    const out = redact({ sources: { facebook: { enabled: true, appSecret: 'a', webhookSecret: 'b', appId: '42' } }, auth: { jwtSecret: 'c' }, apiKey: 'd', token: 'e' });
    expect(out).to.deep.equal({
      sources: { facebook: { enabled: true, appSecret: REDACTED, webhookSecret: REDACTED, appId: '42' } },
      auth: { jwtSecret: REDACTED },
      apiKey: REDACTED,
      token: REDACTED,
    });
  });

  it('scrubs known secret values from every string, error messages and stacks included', () => {
    const secrets = new SecretSet().add('hunter22-secret');
    const err = new Error('token hunter22-secret rejected');
    const out = redact({ note: 'x hunter22-secret y', list: ['hunter22-secret'], err }, secrets) as any;
    expect(JSON.stringify(out)).to.not.include('hunter22-secret');
    expect([out.note, out.list[0], out.err.message]).to.deep.equal([`x ${REDACTED} y`, REDACTED, `token ${REDACTED} rejected`]);
  });

  it('scrubs again when a replacement forms a new occurrence with its neighbours', () => {
    const secrets = new SecretSet().add('d]zz99');
    expect(secrets.scrub('d]zz99zz99')).to.not.include('d]zz99');
  });

  it('cuts cycles and keeps the rest', () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    expect(redact(a)).to.deep.equal({ n: 1, self: '[circular]' });
  });

  it('never lets a known secret through, wherever it hides in a value', () => {
    const secretArb = fc.tuple(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{7,30}$/), fc.constantFrom('', 'd]', 'ted]')).map(([s, prefix]) => prefix + s);
    fc.assert(
      fc.property(secretArb, fc.jsonValue(), fc.string(), fc.string(), (secret, value, before, after) => {
        const secrets = new SecretSet().add(secret);
        const hidden = { value, [`${before}${secret}`]: `${before}${secret}${after}`, nested: [{ note: `${secret}${secret}${after}` }] };
        expect(JSON.stringify(redact(hidden, secrets))).to.not.include(secret);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Config > createLogger', () => {
  it('writes one JSON line per event, redacted, at or above the level', () => {
    const lines: string[] = [];
    const secrets = new SecretSet().add('s3cr3t-token-value');
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l), secrets, clock: () => 0 });
    logger.debug('test.hidden', {});
    logger.info('test.event', { header: 'Bearer s3cr3t-token-value', password: 'pw' });
    expect(lines.map((l) => JSON.parse(l))).to.deep.equal([{ time: '1970-01-01T00:00:00.000Z', level: 'info', event: 'test.event', header: `Bearer ${REDACTED}`, password: REDACTED }]);
  });

  it('prints a pretty line with the stack of an error', () => {
    const lines: string[] = [];
    createLogger({ format: 'pretty', write: (l) => lines.push(l), clock: () => 0 }).error('test.failed', { err: new Error('nope'), n: 1 });
    expect(lines).to.have.length(1);
    expect(lines[0]!.split('\n')[0]).to.match(/^00:00:00\.000 error test\.failed err=\{.*"message":"nope".*\} n=1$/);
    expect(lines[0]).to.include('at ');
  });

  it('logs nothing when silent', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'silent', write: (l) => lines.push(l) });
    logger.error('test.event');
    expect(lines).to.deep.equal([]);
  });
});
