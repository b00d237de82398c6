import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { uiAssets } from '@parley/ui';
import { createPlatform, type Runtime } from '../../src/index.js';
import { tempDir } from '../helpers.js';
import { describeIfChromium, launchBrowser, openPage } from './browser.js';

/** The built inbox and widget as the runtime serves them: compression, caching, the app shell, and a real browser loading them. */
describe('UI > static assets', function () {
  this.timeout(30_000);
  let runtime: Runtime;
  let url: string;

  before(async () => {
    expect(uiAssets().built, 'the UI is built (npm run build:ui)').to.equal(true);
    runtime = createPlatform({ dataDir: tempDir('ui'), http: { port: 0 }, webhooks: { enabled: false } }, { logging: { level: 'warn', write: () => {} } });
    await runtime.start();
    url = runtime.url;
  });
  after(() => runtime.stop());

  const get = (pathname: string, headers: Record<string, string> = {}) => fetch(url + pathname, { headers, redirect: 'manual' });

  it('serves the inbox shell with no-cache and a content security policy, without a token', async () => {
    const res = await get('/ui/', { accept: 'text/html' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(res.headers.get('cache-control')).to.equal('no-cache');
    expect(res.headers.get('content-security-policy')).to.include("default-src 'self'");
    expect(await res.text()).to.include('<div id="app">');
  });

  it('answers deep links with the shell, and unknown files with 404', async () => {
    const deep = await get('/ui/conversations/abc', { accept: 'text/html' });
    expect(deep.status).to.equal(200);
    expect(await deep.text()).to.include('<div id="app">');
    const missing = await get('/ui/nothing-here.js');
    expect(missing.status).to.equal(404);
    expect((await missing.json()) as unknown).to.have.property('code', 'RUNTIME_NOT_FOUND');
  });

  it('redirects /ui to /ui/', async () => {
    const res = await get('/ui');
    expect(res.status).to.equal(301);
    expect(res.headers.get('location')).to.equal('/ui/');
  });

  it('sends the hashed bundle brotli- or gzip-compressed as asked, cached for a year', async () => {
    const bundle = fs.readdirSync(uiAssets().inboxDir).find((name) => /^inbox-.*\.js$/.test(name))!;
    const plain = fs.readFileSync(path.join(uiAssets().inboxDir, bundle));
    for (const [accept, encoding] of [['br', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
      // undici's fetch decodes br/gzip itself: the body must equal the file whatever was sent.
      const res = await get(`/ui/${bundle}`, { 'accept-encoding': accept });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-encoding')).to.equal(encoding);
      expect(res.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
      expect(res.headers.get('vary')).to.match(/Accept-Encoding/i);
      expect(Buffer.from(await res.arrayBuffer()).equals(plain)).to.equal(true);
    }
  });

  it('serves the widget script, revalidated every time', async () => {
    const res = await get('/widget/widget.js', { 'accept-encoding': 'gzip' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/javascript/);
    expect(res.headers.get('cache-control')).to.equal('no-cache');
  });

  it('refuses other methods with 405', async () => {
    const res = await fetch(`${url}/ui/`, { method: 'POST' });
    expect(res.status).to.equal(405);
    expect((await res.json()) as unknown).to.have.property('code', 'RUNTIME_METHOD_NOT_ALLOWED');
  });

  it('answers 503 RUNTIME_UI_NOT_BUILT when the assets were never built', async () => {
    const empty = tempDir('ui-unbuilt');
    const bare = createPlatform({ dataDir: tempDir('ui-bare'), http: { port: 0 }, webhooks: { enabled: false } }, { logging: { level: 'warn', write: () => {} }, ui: { inboxDir: empty, widgetDir: empty, built: false } });
    await bare.start();
    try {
      const res = await fetch(`${bare.url}/ui/`);
      expect(res.status).to.equal(503);
      expect((await res.json()) as unknown).to.have.property('code', 'RUNTIME_UI_NOT_BUILT');
    } finally {
      await bare.stop();
    }
  });

  describeIfChromium('in Chromium', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(() => browser?.close());

    it('loads the inbox app with no script error', async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(`${url}/ui/`);
      await page.getByRole('heading', { name: 'Log in to Parley' }).waitFor();
      // Chromium logs the 401 of `auth.session` (nobody is logged in yet) as a console error: expected.
      expect(errors.filter((e) => !/status of 401/.test(e))).to.deep.equal([]);
    });
  });
});
