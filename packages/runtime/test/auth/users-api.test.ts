import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { SESSION_COOKIE, signJwt, type Platform } from '../../src/index.js';
import { expectError, startPlatform, type TestPlatform } from '../api/communication/platform-fixture.js';
import { forEachBackend, readTestResponse, type TestResponse } from '../helpers.js';

const ADMIN = { email: 'Ada@Example.com', name: 'Ada', password: 'correct horse battery', role: 'admin' };
const AGENT = { email: 'grace@example.com', name: 'Grace', password: 'another long secret', role: 'agent' };

/** The `parley_session=…` pair and the attributes of the Set-Cookie header of an answer. */
function sessionCookie(res: TestResponse): { pair: string; attributes: string[] } {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(header, 'Set-Cookie parley_session').to.be.a('string');
  const [pair, ...attributes] = header!.split(';').map((s) => s.trim());
  return { pair: pair!, attributes: attributes.map((a) => a.toLowerCase()) };
}

forEachBackend('Api > users and login', function (backend) {
  this.timeout(120_000);
  let platform: TestPlatform;

  before(async () => {
    platform = await startPlatform({}, { log: backend.freshLog() });
  });
  after(() => platform?.stop());

  /** POSTs with only the session cookie (no bearer token), as the inbox does. */
  const withCookie = (route: string, cookie: string, body: unknown = {}, headers: Record<string, string> = {}) =>
    platform.post(route, body, { token: null, headers: { cookie, ...headers } });

  it('offers a one-time setup link while no user exists, which creates the first admin and logs them in', async () => {
    const url = (platform.runtime as Platform).firstAdminSetupUrl();
    expect(url).to.match(/\/ui\/setup\?token=[A-Za-z0-9_-]{32}$/);
    const token = new URL(url!).searchParams.get('token')!;
    expectError(await platform.post('auth.setup', { token: `${token}x`, email: ADMIN.email, name: ADMIN.name, password: ADMIN.password }, { token: null }), 401, 'RUNTIME_LOGIN_FAILED');
    const res = await platform.post('auth.setup', { token, email: ADMIN.email, name: ADMIN.name, password: ADMIN.password }, { token: null });
    expect(res.status, res.text).to.equal(201);
    expect(res.json.user).to.include({ email: 'ada@example.com', name: 'Ada', role: 'admin' });
    expect((platform.runtime as Platform).firstAdminSetupUrl()).to.equal(undefined);
    expectError(await platform.post('auth.setup', { token, email: 'eve@example.com', name: 'Eve', password: 'eve password' }, { token: null }), 401, 'RUNTIME_LOGIN_FAILED');
  });

  it('logs in with a session cookie (HttpOnly, SameSite=Strict, Path=/) and a JWT naming the user', async () => {
    const res = await platform.post('auth.login', { email: 'ADA@example.com', password: ADMIN.password }, { token: null });
    expect(res.status, res.text).to.equal(200);
    const { pair, attributes } = sessionCookie(res);
    expect(pair).to.equal(`${SESSION_COOKIE}=${res.json.token}`);
    expect(attributes).to.include.members(['httponly', 'samesite=strict', 'path=/']);
    expect(attributes.some((a) => a.startsWith('max-age='))).to.equal(true);
    expect(attributes).not.to.include('secure'); // plain http here
    const claims = decodeJwt(res.json.token);
    expect([claims.sub, typeof claims.sid, claims.exp]).to.deep.equal([res.json.user.id, 'string', res.json.expires_at]);
    const session = await withCookie('auth.session', pair);
    expect(session.json).to.deep.include({ principal: { kind: 'user', id: res.json.user.id }, expires_at: res.json.expires_at });
    expect(session.json.user.email).to.equal('ada@example.com');
  });

  it('marks the cookie Secure when the request came over https (X-Forwarded-Proto from a TLS proxy)', async () => {
    const res = await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null, headers: { 'x-forwarded-proto': 'https' } });
    expect(sessionCookie(res).attributes).to.include.members(['secure', 'httponly', 'samesite=strict']);
  });

  it('answers the same RUNTIME_LOGIN_FAILED for an unknown email and a wrong password', async () => {
    const wrong = await platform.post('auth.login', { email: 'ada@example.com', password: 'not the password' }, { token: null });
    const unknown = await platform.post('auth.login', { email: 'nobody@example.com', password: ADMIN.password }, { token: null });
    expectError(wrong, 401, 'RUNTIME_LOGIN_FAILED');
    expectError(unknown, 401, 'RUNTIME_LOGIN_FAILED');
    expect(wrong.json.message).to.equal(unknown.json.message);
    expect(wrong.headers.getSetCookie()).to.deep.equal([]);
  });

  it('refuses bad login bodies with RUNTIME_INVALID_REQUEST', async () => {
    expectError(await platform.post('auth.login', { email: 'ada@example.com' }, { token: null }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await platform.post('auth.login', { email: '', password: 'x' }, { token: null }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await platform.post('auth.login', { email: 1, password: 'x' }, { token: null }), 400, 'RUNTIME_INVALID_REQUEST');
  });

  it('refuses a cookie-authenticated request that is not application/json or comes from another site (CSRF)', async () => {
    const { pair } = sessionCookie(await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null }));
    expectError(await withCookie('conversations.list', pair, {}, { 'content-type': 'text/plain' }), 403, 'RUNTIME_FORBIDDEN');
    expectError(await withCookie('conversations.list', pair, {}, { 'content-type': 'application/x-www-form-urlencoded' }), 403, 'RUNTIME_FORBIDDEN');
    expectError(await withCookie('conversations.list', pair, {}, { 'sec-fetch-site': 'cross-site' }), 403, 'RUNTIME_FORBIDDEN');
    expect((await withCookie('conversations.list', pair, {}, { 'sec-fetch-site': 'same-origin' })).status).to.equal(200);
    expect((await withCookie('conversations.list', pair, {}, { 'content-type': 'application/json; charset=utf-8' })).status).to.equal(200);
    // media.upload takes multipart forms, which any site's HTML form can send: never with the cookie alone.
    const form = new FormData();
    form.append('file', new Blob(['forged'], { type: 'text/plain' }), 'forged.txt');
    const forged = await readTestResponse(await fetch(`${platform.runtime.url}/media.upload`, { method: 'POST', headers: { cookie: pair }, body: form }));
    expectError(forged, 403, 'RUNTIME_FORBIDDEN');
  });

  it('creates, lists, updates and deletes users, never returning a password hash', async () => {
    const created = await platform.post('users.create', AGENT);
    expect(created.status, created.text).to.equal(201);
    expect(Object.keys(created.json).sort()).to.deep.equal(['created_at', 'email', 'id', 'name', 'role', 'updated_at']);
    expectError(await platform.post('users.create', { ...AGENT, email: 'GRACE@example.com' }), 409, 'RUNTIME_STATE');
    const list = await platform.post('users.list', {});
    expect(list.json.data.map((u: { email: string }) => u.email)).to.deep.equal(['ada@example.com', 'grace@example.com']);
    expect(list.text).not.to.include('scrypt');
    const updated = await platform.post('users.update', { id: created.json.id, name: 'Grace Hopper', password: 'a brand new secret' });
    expect(updated.json).to.include({ name: 'Grace Hopper', email: 'grace@example.com', role: 'agent' });
    expectError(await platform.post('auth.login', { email: AGENT.email, password: AGENT.password }, { token: null }), 401, 'RUNTIME_LOGIN_FAILED');
    const login = await platform.post('auth.login', { email: AGENT.email, password: 'a brand new secret' }, { token: null });
    expect(login.status).to.equal(200);
    expect((await platform.post('users.delete', { id: created.json.id })).status).to.equal(204);
    expectError(await platform.post('conversations.list', {}, { token: login.json.token }), 401, 'RUNTIME_SESSION_EXPIRED');
    expectError(await platform.post('users.delete', { id: created.json.id }), 404, 'RUNTIME_NOT_FOUND');
  });

  it('lets only the system token or an admin manage users', async () => {
    const agent = await platform.post('users.create', { ...AGENT, email: 'agent2@example.com' });
    const agentLogin = await platform.post('auth.login', { email: 'agent2@example.com', password: AGENT.password }, { token: null });
    expectError(await platform.post('users.list', {}, { token: agentLogin.json.token }), 403, 'RUNTIME_FORBIDDEN');
    expectError(await platform.post('users.create', { ...AGENT, email: 'x@example.com' }, { token: agentLogin.json.token }), 403, 'RUNTIME_FORBIDDEN');
    const names = await platform.post('users.names', {}, { token: agentLogin.json.token });
    expect(names.json.data).to.deep.include({ id: agent.json.id, name: AGENT.name });
    expect(Object.keys(names.json.data[0]).sort()).to.deep.equal(['id', 'name']);
    const adminLogin = await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null });
    expect((await platform.post('users.list', {}, { token: adminLogin.json.token })).status).to.equal(200);
    expect((await platform.post('users.delete', { id: agent.json.id }, { token: adminLogin.json.token })).status).to.equal(204);
  });

  it('lets only the system token read the accounts topics (they hold password hashes)', async () => {
    const login = await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null });
    expectError(await platform.post('topics.read', { name: 'auth.users' }, { token: login.json.token }), 403, 'RUNTIME_FORBIDDEN');
    expectError(await platform.post('topics.read', { name: 'auth.sessions' }, { token: login.json.token }), 403, 'RUNTIME_FORBIDDEN');
    expect((await platform.post('topics.read', { name: 'application.communication.messages' }, { token: login.json.token })).status).to.equal(200);
    const asSystem = await platform.post('topics.read', { name: 'auth.users' });
    expect([asSystem.status, asSystem.json.data.length > 0]).to.deep.equal([200, true]);
  });

  it('refuses to delete or demote the last admin, and bad user bodies', async () => {
    const admin = (await platform.post('users.list', {})).json.data.find((u: { role: string }) => u.role === 'admin');
    expectError(await platform.post('users.delete', { id: admin.id }), 409, 'RUNTIME_STATE');
    expectError(await platform.post('users.update', { id: admin.id, role: 'agent' }), 409, 'RUNTIME_STATE');
    expectError(await platform.post('users.create', { ...AGENT, email: 'not an email' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await platform.post('users.create', { ...AGENT, email: 'short@example.com', password: 'short' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await platform.post('users.create', { ...AGENT, email: 'role@example.com', role: 'owner' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await platform.post('users.update', { id: 'nobody', name: 'x' }), 404, 'RUNTIME_NOT_FOUND');
  });

  it('logs out: clears the cookie and ends the session server-side', async () => {
    const login = await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null });
    const { pair } = sessionCookie(login);
    const out = await withCookie('auth.logout', pair);
    expect(out.status).to.equal(204);
    const cleared = sessionCookie(out);
    expect(cleared.pair).to.equal(`${SESSION_COOKIE}=`);
    expect(cleared.attributes.some((a) => a.startsWith('expires=thu, 01 jan 1970'))).to.equal(true);
    expectError(await withCookie('conversations.list', pair), 401, 'RUNTIME_SESSION_EXPIRED');
    expectError(await platform.post('conversations.list', {}, { token: login.json.token }), 401, 'RUNTIME_SESSION_EXPIRED');
  });

  it('answers RUNTIME_SESSION_EXPIRED for an expired session token, RUNTIME_UNAUTHORIZED without any', async () => {
    const secret = (await import('node:fs')).readFileSync(`${platform.dataDir}/auth/jwt-secret`, 'utf8').trim();
    const expired = await signJwt(secret, { subject: 'someone', issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresInSeconds: 3600, claims: { sid: 'old' } });
    expectError(await withCookie('conversations.list', `${SESSION_COOKIE}=${expired}`), 401, 'RUNTIME_SESSION_EXPIRED');
    expectError(await platform.post('conversations.list', {}, { token: expired }), 401, 'RUNTIME_SESSION_EXPIRED');
    expectError(await platform.post('conversations.list', {}, { token: null }), 401, 'RUNTIME_UNAUTHORIZED');
  });

  it("accepts for a moment a session another instance just made (this one's view has not read it yet), never an ended one", async () => {
    const secret = (await import('node:fs')).readFileSync(`${platform.dataDir}/auth/jwt-secret`, 'utf8').trim();
    const now = Math.floor(Date.now() / 1000);
    const admin = (await platform.post('users.list', {})).json.data.find((u: { role: string }) => u.role === 'admin');
    const unseen = (issuedAt: number) => signJwt(secret, { subject: admin.id, issuedAt, expiresInSeconds: 3600, claims: { sid: `unseen-${issuedAt}` } });
    expect((await platform.post('conversations.list', {}, { token: await unseen(now) })).status).to.equal(200);
    expectError(await platform.post('conversations.list', {}, { token: await unseen(now - 120) }), 401, 'RUNTIME_SESSION_EXPIRED');
    const login = await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null });
    expect((await platform.post('auth.logout', {}, { token: login.json.token })).status).to.equal(204);
    expectError(await platform.post('conversations.list', {}, { token: login.json.token }), 401, 'RUNTIME_SESSION_EXPIRED');
  });

  it('records the logged-in user as the sender of the messages they send', async () => {
    const login = await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null });
    const source = await platform.post('sources.create', { id: 'shop' });
    expect(source.status, source.text).to.be.oneOf([200, 201]);
    const channel = await platform.post('sources.channels.create', { source_id: 'shop', source_channel_id: 'web' });
    const { pair } = sessionCookie(login);
    const sent = await withCookie('messages.send', pair, { channel_id: channel.json.id, source_recipient_id: 'visitor-1', message: { text: 'hello from the inbox' } });
    expect(sent.status, sent.text).to.equal(200);
    expect(sent.json.sender).to.deep.equal({ id: login.json.user.id, type: 'user' });
  });

  it('keeps users and sessions across a restart (they are read back from the log)', async () => {
    const login = await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null });
    const loggedOut = await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null });
    expect((await platform.post('auth.logout', {}, { token: loggedOut.json.token })).status).to.equal(204);
    const { dataDir, logConfig } = platform;
    await platform.stop();
    platform = await startPlatform({}, { dataDir, log: logConfig });
    expect((platform.runtime as Platform).firstAdminSetupUrl()).to.equal(undefined);
    expect((await platform.post('conversations.list', {}, { token: login.json.token })).status).to.equal(200);
    expectError(await platform.post('conversations.list', {}, { token: loggedOut.json.token }), 401, 'RUNTIME_SESSION_EXPIRED');
    expect((await platform.post('auth.login', { email: ADMIN.email, password: ADMIN.password }, { token: null })).status).to.equal(200);
  });
});
