/**
 * `ui.inbox`: what the inbox costs a browser. `ui.inbox.first-load` is the time from navigating
 * to `/ui/` (logged in, a fresh browser context: nothing cached) until the conversation list
 * shows its first page, with 10,000 conversations on the embedded log, in Debian's Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium) on localhost: the median of 5 loads. (The bundles'
 * gzipped sizes are the `ui.bundle-sizes` suite's.)
 */
import { createPlatform, SESSION_COOKIE, type Runtime } from '@parley/runtime';
import { uiAssets } from '@parley/ui';
import { chromium } from 'playwright-core';
import { runLoad } from '../lib/http-load.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';

const CONVERSATIONS = 10_000;
const LOADS = 5;
const AGENT = { email: 'bench@example.com', name: 'Bench', password: 'bench password 1' };

async function post(url: string, route: string, body: unknown, token: string): Promise<any> {
  const res = await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${route}: ${res.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

async function firstLoad(): Promise<number[]> {
  return withTempDir('ui-inbox', async (dir) => {
    const runtime: Runtime = createPlatform({ dataDir: dir, http: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
    await runtime.start();
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const url = runtime.url;
      const system = runtime.systemToken!;
      const source = await post(url, 'sources.create', { id: 'bench-shop' }, system);
      await post(url, 'sources.channels.create', { source_id: 'bench-shop', source_channel_id: 'web' }, system);
      await runLoad({ url: `${url}/sources.webhook`, token: source.token, first: 0, count: CONVERSATIONS / 500, concurrency: 2, batch: 500, conversations: CONVERSATIONS });
      for (;;) {
        const page = await post(url, 'conversations.list', { page_size: 1 }, system);
        if (page.pagination_data.total >= CONVERSATIONS) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await post(url, 'users.create', { ...AGENT, role: 'agent' }, system);
      const login = await post(url, 'auth.login', { email: AGENT.email, password: AGENT.password }, system);
      const timings: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const context = await browser.newContext();
        await context.addCookies([{ name: SESSION_COOKIE, value: login.token, url, httpOnly: true, sameSite: 'Strict' }]);
        const page = await context.newPage();
        const start = performance.now();
        await page.goto(`${url}/ui/`);
        await page.getByRole('status').filter({ hasText: new RegExp(`^50 of ${CONVERSATIONS} conversations$`) }).waitFor({ timeout: 60_000 });
        timings.push(performance.now() - start);
        await context.close();
      }
      return timings;
    } finally {
      await browser.close();
      await runtime.stop();
    }
  });
}

export const uiInbox: BenchSuite = {
  name: 'ui.inbox',
  async run(): Promise<BenchResult[]> {
    if (!uiAssets().built) throw new Error('the UI is not built: npm run build:ui');
    const timings = (await firstLoad()).sort((a, b) => a - b);
    return [
      { name: 'ui.inbox.first-load', value: Math.round(timings[Math.floor(timings.length / 2)]!), unit: 'ms', note: `navigate to /ui/ logged in (fresh context, nothing cached) until the first page of ${CONVERSATIONS.toLocaleString('en')} conversations shows, Chromium on localhost, median of ${LOADS} (min ${Math.round(timings[0]!)}, max ${Math.round(timings.at(-1)!)}); target ≤ 1,000 ms` },
    ];
  },
};
