import { expect } from 'chai';
import fc from 'fast-check';
import { hashPassword, verifyPassword } from '../../src/index.js';
import { sessionCookieOf, csrfRefusal, SESSION_COOKIE } from '../../src/auth/session-cookie.js';

describe('Auth > password hashing', function () {
  this.timeout(60_000);

  it('verifies a password against its own hash and refuses any other password', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' }), fc.string({ minLength: 1, maxLength: 64 }), async (password, other) => {
        const hash = await hashPassword(password);
        expect(hash).to.match(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
        expect(await verifyPassword(password, hash)).to.equal(true);
        if (other.normalize('NFC') !== password.normalize('NFC')) expect(await verifyPassword(other, hash)).to.equal(false);
      }),
      { numRuns: 8 },
    );
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.to.equal(b);
  });

  it('answers false for malformed hashes instead of throwing', async () => {
    for (const hash of ['', 'scrypt', 'bcrypt$1$2$3$4$5', 'scrypt$x$8$1$c2FsdA$a2V5', 'scrypt$32768$8$1$c2FsdA$c2hvcnQ']) expect(await verifyPassword('pw', hash), hash).to.equal(false);
  });
});

describe('Auth > session cookie', () => {
  it('finds the session cookie among any others', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[A-Za-z0-9._-]{0,20}$/))), fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/), fc.nat(), (others, token, at) => {
        const pairs = others.filter(([name]) => name !== SESSION_COOKIE).map(([name, value]) => `${name}=${value}`);
        pairs.splice(at % (pairs.length + 1), 0, `${SESSION_COOKIE}=${token}`);
        expect(sessionCookieOf({ cookie: pairs.join('; ') })).to.equal(token);
      }),
    );
    expect(sessionCookieOf({ cookie: 'a=b' })).to.equal(undefined);
    expect(sessionCookieOf({ cookie: `${SESSION_COOKIE}=` })).to.equal(undefined);
  });

  it('lets only same-site JSON requests use it', () => {
    expect(csrfRefusal({ 'content-type': 'application/json' })).to.equal(undefined);
    expect(csrfRefusal({ 'content-type': 'Application/JSON; charset=utf-8', 'sec-fetch-site': 'same-origin' })).to.equal(undefined);
    expect(csrfRefusal({ 'content-type': 'text/plain' })).to.be.a('string');
    expect(csrfRefusal({})).to.be.a('string');
    expect(csrfRefusal({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).to.be.a('string');
  });
});
