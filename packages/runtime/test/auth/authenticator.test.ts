import { expect } from 'chai';
import { SignJWT } from 'jose';
import { createAuthenticator, generateJwtSecret, generateSystemToken, signJwt, type Authenticator, type RequestHeaders } from '../../src/index.js';

const systemToken = generateSystemToken();
const jwtSecret = generateJwtSecret();
const authenticator = createAuthenticator({ enabled: true, systemToken, jwtSecret });

async function codeOf(auth: Authenticator, headers: RequestHeaders): Promise<string> {
  try {
    await auth.authenticate(headers);
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'ACCEPTED';
}

describe('Auth > authenticate', () => {
  it('accepts the system token as the system principal', async () => {
    expect(await authenticator.authenticate({ authorization: `Bearer ${systemToken}` })).to.deep.equal({ kind: 'system', id: 'system' });
  });

  it('accepts a JWT signed with the secret as its subject', async () => {
    const token = await signJwt(jwtSecret, { subject: 'user-7', expiresInSeconds: 60, claims: { name: 'Ada' } });
    const principal = await authenticator.authenticate({ Authorization: `bearer ${token}` });
    expect([principal.kind, principal.id, principal.kind === 'user' && principal.claims.name]).to.deep.equal(['user', 'user-7', 'Ada']);
  });

  it('answers RUNTIME_UNAUTHORIZED without a bearer token', async () => {
    expect(await codeOf(authenticator, {})).to.equal('RUNTIME_UNAUTHORIZED');
    expect(await codeOf(authenticator, { authorization: '' })).to.equal('RUNTIME_UNAUTHORIZED');
    expect(await codeOf(authenticator, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })).to.equal('RUNTIME_UNAUTHORIZED');
  });

  it('answers RUNTIME_FORBIDDEN for tokens that are neither the system token nor a valid JWT', async () => {
    const otherSecret = generateJwtSecret();
    const now = Math.floor(Date.now() / 1000);
    const cases = {
      'a wrong token': 'parley_st_wrong',
      'a prefix of the system token': systemToken.slice(0, -1),
      'the system token plus a character': `${systemToken}x`,
      'a JWT signed with another secret': await signJwt(otherSecret, { subject: 'u' }),
      'an expired JWT': await signJwt(jwtSecret, { subject: 'u', issuedAt: now - 3600, expiresInSeconds: 60 }),
      'a JWT without a subject': await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(jwtSecret)),
      'an unsigned JWT': `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"u"}').toString('base64url')}.`,
      'a malformed JWT': 'a.b.c',
    };
    const codes = Object.fromEntries(await Promise.all(Object.entries(cases).map(async ([name, token]) => [name, await codeOf(authenticator, { authorization: `Bearer ${token}` })])));
    expect(codes).to.deep.equal(Object.fromEntries(Object.keys(cases).map((name) => [name, 'RUNTIME_FORBIDDEN'])));
  });

  it('checks expiry against the given clock', async () => {
    const token = await signJwt(jwtSecret, { subject: 'u', issuedAt: 1_000_000, expiresInSeconds: 60 });
    const at = (s: number) => createAuthenticator({ enabled: true, systemToken, jwtSecret, clock: () => new Date(s * 1000) });
    expect([await codeOf(at(1_000_030), { authorization: `Bearer ${token}` }), await codeOf(at(1_000_100), { authorization: `Bearer ${token}` })]).to.deep.equal([
      'ACCEPTED',
      'RUNTIME_FORBIDDEN',
    ]);
  });

  it('lets everyone in as anonymous when disabled', async () => {
    const open = createAuthenticator({ enabled: false });
    expect([await open.authenticate({}), await open.authenticate({ authorization: 'Bearer junk' })]).to.deep.equal([
      { kind: 'anonymous', id: 'anonymous' },
      { kind: 'anonymous', id: 'anonymous' },
    ]);
  });

  it('refuses to be enabled without secrets', () => {
    expect(() => createAuthenticator({ enabled: true, jwtSecret })).to.throw(TypeError);
    expect(() => createAuthenticator({ enabled: true, systemToken })).to.throw(TypeError);
  });
});
