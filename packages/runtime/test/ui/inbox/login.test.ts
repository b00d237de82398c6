import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { SESSION_COOKIE, signJwt } from '../../../src/index.js';
import { describeIfChromium, launchBrowser, openPage } from '../browser.js';
import { AGENT, axeViolations, listLoaded, logIn, screenshot, startInboxPlatform, unexpectedErrors, type InboxPlatform } from './inbox-fixture.js';

describeIfChromium('UI > inbox > login', function () {
  this.timeout(120_000);
  let platform: InboxPlatform;
  let browser: Browser;

  before(async () => {
    [platform, browser] = await Promise.all([startInboxPlatform(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('logs in with the form, sets an HttpOnly cookie, and logs out again', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${platform.url}/ui/`);
    await page.getByRole('heading', { name: 'Log in to Parley' }).waitFor();
    expect(await axeViolations(page)).to.deep.equal([]);
    await screenshot(page, 'inbox-login');
    await logIn(page, platform.url);
    const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
    expect([cookie?.httpOnly, cookie?.sameSite, cookie?.path]).to.deep.equal([true, 'Strict', '/']);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).not.to.include(SESSION_COOKIE);
    await page.reload();
    await listLoaded(page);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Parley' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Log in to Parley' }).waitFor();
    expect((await page.context().cookies()).some((c) => c.name === SESSION_COOKIE)).to.equal(false);
    expect(unexpectedErrors(errors)).to.deep.equal([]);
  });

  it('says so for a wrong password and an unknown email, and stays on the login screen', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${platform.url}/ui/`);
    for (const [email, password] of [
      [AGENT.email, 'not the password'],
      ['nobody@example.com', AGENT.password],
    ] as const) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    }
    expect((await page.context().cookies()).some((c) => c.name === SESSION_COOKIE)).to.equal(false);
  });

  it('asks to log in again when the session has expired', async () => {
    const { page } = await openPage(browser);
    const secret = fs.readFileSync(path.join(platform.runtime.dataDir.root, 'auth', 'jwt-secret'), 'utf8').trim();
    const users = (await platform.post('users.list')).json.data as { id: string }[];
    const expired = await signJwt(secret, { subject: users[0]!.id, issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresInSeconds: 3600, claims: { sid: 'gone' } });
    await page.context().addCookies([{ name: SESSION_COOKIE, value: expired, url: platform.url, httpOnly: true, sameSite: 'Strict' }]);
    await page.goto(`${platform.url}/ui/`);
    await page.getByRole('status').filter({ hasText: 'Your session has expired. Please log in again.' }).waitFor();
    await logIn(page, platform.url);
  });

  it('sends a logged-in agent back to the login screen when the session ends elsewhere', async () => {
    const { page } = await openPage(browser);
    await logIn(page, platform.url);
    const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)!;
    // The same session logged out from another tab (a script with its token).
    expect((await platform.post('auth.logout', {}, cookie.value)).status).to.equal(204);
    // Either the live feed notices first (the server ends the socket of an ended session) or the
    // next request does (401): until the login screen shows, keep asking for a list. A click, not
    // check(): the answer replaces the list, so the box may be gone before it could be seen checked.
    const loginHeading = page.getByRole('heading', { name: 'Log in to Parley' });
    const filter = page.getByRole('checkbox', { name: 'Unread only' });
    const deadline = Date.now() + 30_000;
    while (!(await loginHeading.isVisible())) {
      expect(Date.now(), 'the login screen within 30 s').to.be.below(deadline);
      await filter.click({ timeout: 1000 }).catch(() => undefined); // gone already: the login screen is coming
    }
    await page.getByRole('status').filter({ hasText: 'log in again' }).waitFor();
  });

  it('creates the first admin through the one-time setup link', async () => {
    const fresh = await startInboxPlatformWithoutUsers();
    try {
      const { page } = await openPage(browser);
      await page.goto(fresh.setupUrl);
      await page.getByRole('heading', { name: 'Create the first admin' }).waitFor();
      expect(await axeViolations(page)).to.deep.equal([]);
      await page.getByLabel('Name').fill('Grace');
      await page.getByLabel('Email').fill('grace@example.com');
      await page.getByLabel('Password (at least 8 characters)').fill('a long enough secret');
      await page.getByRole('button', { name: 'Create admin and log in' }).click();
      await listLoaded(page);
      expect(new URL(page.url()).pathname).to.equal('/ui/');
      expect(await page.locator('.who').textContent()).to.equal('Grace');
    } finally {
      await fresh.stop();
    }
  });
});

async function startInboxPlatformWithoutUsers(): Promise<{ setupUrl: string; stop(): Promise<void> }> {
  const { createPlatform } = await import('../../../src/index.js');
  const { tempDir } = await import('../../helpers.js');
  const runtime = createPlatform({ dataDir: tempDir('ui-setup'), http: { port: 0 }, webhooks: { enabled: false } }, { logging: { level: 'warn', write: () => {} } });
  await runtime.start();
  const setupUrl = runtime.firstAdminSetupUrl();
  expect(setupUrl).to.be.a('string');
  return { setupUrl: setupUrl!, stop: () => runtime.stop() };
}
