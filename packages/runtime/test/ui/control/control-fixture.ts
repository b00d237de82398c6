/**
 * Fixtures of the control center's browser tests: a platform with webhooks (loopback receivers
 * allowed, one quick retry), Google Business Messages (against its fake), Facebook and Twilio SMS
 * configured (so their connect forms are served), a webhook receiver whose answer a test sets, pages signed in
 * with the system token, axe-core, and the screenshots for docs/.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { uiAssets } from '@parley/ui';
import { fakeGoogleServiceAccount, startFakeBusinessMessages, type FakeBusinessMessages } from '@parley/sources';
import { createPlatform, type Runtime } from '../../../src/index.js';
import { readTestResponse, tempDir, type TestResponse } from '../../helpers.js';
import { openPage } from '../browser.js';

export interface ControlPlatform {
  runtime: Runtime;
  url: string;
  token: string;
  receiver: WebhookReceiver;
  post(route: string, body?: unknown, token?: string): Promise<TestResponse>;
  stop(): Promise<void>;
}

/** A local HTTP server taking webhook deliveries at any path under `url`: it answers `status` and keeps what it took. */
export interface WebhookReceiver {
  url: string;
  status: number;
  /** The events taken: type, `webhook-id`, and the path they were posted to. */
  received: { type: string; id: string | undefined; path: string }[];
}

async function startReceiver(): Promise<{ receiver: WebhookReceiver; close: () => Promise<void> }> {
  const receiver: WebhookReceiver = { url: '', status: 200, received: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = receiver.status;
      if (status < 300) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string };
        receiver.received.push({ type: body.type, id: req.headers['webhook-id'] as string | undefined, path: req.url ?? '' });
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  return { receiver, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function startControlPlatform(): Promise<ControlPlatform> {
  expect(uiAssets().built, 'the UI is built (npm run build:ui)').to.equal(true);
  const fake: FakeBusinessMessages = await startFakeBusinessMessages();
  const { receiver, close } = await startReceiver();
  const runtime = createPlatform(
    {
      dataDir: tempDir('ui-control'),
      http: { port: 0 },
      webhooks: { allowPrivateNetworks: true, retrySchedule: [0.05] },
      // Providers whose connect routes call no provider API: their forms work offline.
      sources: {
        google: { clientToken: 'gbm-client-token-0123456789', serviceAccount: { ...fakeGoogleServiceAccount(), tokenUrl: fake.tokenUrl }, apiUrl: fake.apiUrl },
        facebook: { appId: '1234', appSecret: 'meta-app-secret-0123456789', verifyToken: 'verify-token' },
        'twilio-sms': { accountSid: `AC${'0'.repeat(32)}`, authToken: 'twilio-auth-token-0123456789', publicUrl: 'https://parley.example/webhooks/twilio-sms' },
      },
    },
    { logging: { level: 'warn', write: () => {} } },
  );
  await runtime.start();
  const token = runtime.systemToken!;
  return {
    runtime,
    url: runtime.url,
    token,
    receiver,
    post: async (route, body = {}, bearer = token) =>
      readTestResponse(await fetch(`${runtime.url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) })),
    async stop() {
      await runtime.stop();
      await close();
      await fake.close();
    },
  };
}

/**
 * A page signed in with `token` (sessionStorage `parley.token`, which the API client sends as a
 * bearer token), allowed to use the clipboard, collecting script errors.
 */
export async function openControlPage(browser: Browser, origin: string, token: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser);
  const context = opened.page.context();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await context.addInitScript({ content: `sessionStorage.setItem('parley.token', ${JSON.stringify(token)});` });
  await opened.page.setViewportSize({ width: 1200, height: 900 });
  return opened;
}

/** axe-core's serious and critical violations on the page, as `rule: targets` lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated over the devtools protocol: the inbox's CSP would refuse an inline script tag.
  await page.evaluate(axe.source);
  const results = (await page.evaluate('axe.run(document)')) as axe.AxeResults;
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const IMAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../docs/images');

/** With PARLEY_UI_SCREENSHOTS=1, a PNG of the page as docs/images/control-<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.PARLEY_UI_SCREENSHOTS !== '1') return;
  fs.mkdirSync(IMAGES, { recursive: true });
  // The app may scroll its content in a pane of its own, which a full-page shot does not unroll:
  // the window is made as tall as the page and the control center for the shot.
  const viewport = page.viewportSize()!;
  const height = (await page.evaluate('Math.max(document.documentElement.scrollHeight, document.querySelector(".cc").getBoundingClientRect().top + document.querySelector(".cc").scrollHeight)')) as number;
  await page.setViewportSize({ width: viewport.width, height: Math.ceil(height) });
  await page.screenshot({ path: path.join(IMAGES, `control-${name}.png`) });
  await page.setViewportSize(viewport);
}
