import { expect } from 'chai';
import axe from 'axe-core';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { uiAssets } from '@parley/ui';
import { describeIfChromium, launchBrowser, openPage } from '../browser.js';
import { startWidgetPlatform, type WidgetPlatform } from './widget-platform.js';

/** `PARLEY_UI_SCREENSHOTS=1` writes the docs' screenshots (docs/images/widget-*.png). */
const SCREENSHOTS = process.env.PARLEY_UI_SCREENSHOTS === '1' ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../docs/images') : undefined;

interface Listed {
  data: { id: string; channel: { id: string }; last_message: { content: { text?: string } } }[];
}

/**
 * The chat widget against a real platform: the demo page, sending and receiving, a reload, the
 * runtime restarting under an open widget, a hostile host page on another origin, accessibility.
 */
describe('UI > chat widget', function () {
  this.timeout(120_000);
  let platform: WidgetPlatform;
  let channelId: string;

  before(async () => {
    expect(uiAssets().built, 'the UI is built (npm run build:ui)').to.equal(true);
    platform = await startWidgetPlatform();
    channelId = await platform.connectChannel('Website chat');
  });
  after(() => platform?.stop());

  it('redirects /chatplugin/demo to the demo page, keeping the channel id', async () => {
    const res = await fetch(`${platform.url}/chatplugin/demo?channel_id=${channelId}`, { redirect: 'manual' });
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal(`/widget/demo.html?channel_id=${channelId}`);
  });

  it('serves the demo page with a policy that allows no inline script', async () => {
    const res = await fetch(`${platform.url}/widget/demo.html`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-security-policy')).to.include("default-src 'self'").and.not.include('unsafe-inline');
    expect(await res.text()).to.include('<script src="demo.js"></script>').and.not.match(/<script>/);
  });

  describeIfChromium('in Chromium', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(() => browser?.close());

    const composer = (page: Page) => page.getByRole('textbox', { name: 'Your message' });
    const thread = (page: Page) => page.getByRole('log', { name: 'Messages' });
    const write = async (page: Page, text: string) => {
      await composer(page).fill(text);
      await composer(page).press('Enter');
    };
    /** The conversation the widget keeps in localStorage (once its first send has started one). */
    const conversationOf = async (page: Page, channel = channelId): Promise<string> => {
      const stored = await platform.eventually('the session in localStorage', () => page.evaluate((key) => (globalThis as any).localStorage.getItem(key) ?? undefined, `parley.chat.${channel}`));
      return (JSON.parse(stored) as { conversationId: string }).conversationId;
    };
    const reply = async (conversationId: string, text: string) => {
      const res = await platform.post('messages.send', { conversation_id: conversationId, message: { text } });
      expect(res.status, res.text).to.be.oneOf([200, 201, 202]);
    };

    describe('a visitor on the demo page', () => {
      let page: Page;
      let errors: string[];
      let conversationId: string;
      /** The payloads each websocket the page opened received, by socket. */
      const sockets: string[][] = [];

      before(async () => {
        ({ page, errors } = await openPage(browser));
        await page.setViewportSize({ width: 960, height: 680 });
        page.on('websocket', (socket) => {
          const frames: string[] = [];
          sockets.push(frames);
          socket.on('framereceived', (frame) => frames.push(String(frame.payload)));
        });
        await page.goto(`${platform.url}/chatplugin/demo?channel_id=${channelId}`);
      });
      after(() => page?.context().close());

      it('writes, and the message is in conversations.list and messages.list', async () => {
        await composer(page).waitFor();
        await write(page, 'Hello from the demo page');
        await thread(page).getByText('Hello from the demo page').waitFor();
        conversationId = await conversationOf(page);
        const listed = await platform.eventually('the conversation in conversations.list', async () => {
          const res = await platform.post('conversations.list', { filters: { channel_ids: [channelId] } });
          expect(res.status, res.text).to.equal(200);
          return (res.json as Listed).data.find((c) => c.id === conversationId && c.last_message.content.text === 'Hello from the demo page');
        });
        expect(listed.channel.id).to.equal(channelId);
        const messages = await platform.post('messages.list', { conversation_id: conversationId });
        expect(messages.status, messages.text).to.equal(200);
        expect((messages.json as { data: { content: unknown; from_contact: boolean }[] }).data).to.deep.equal([{ ...(messages.json as any).data[0], content: { text: 'Hello from the demo page' }, from_contact: true }]);
        expect(errors).to.deep.equal([]);
      });

      it("shows an agent's reply sent with messages.send", async () => {
        await reply(conversationId, 'Hi! How can we help?');
        const shown = thread(page).getByText('Hi! How can we help?');
        await shown.waitFor();
        expect(await shown.evaluate((node) => node.closest('li')?.className)).to.include('agent');
        if (SCREENSHOTS !== undefined) await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-demo.png') });
        expect(errors).to.deep.equal([]);
      });

      it('resumes the conversation with its history after a reload', async () => {
        await page.reload();
        await thread(page).getByText('Hi! How can we help?').waitFor();
        const texts = await thread(page).locator('li .text').allTextContents();
        expect(texts).to.deep.equal(['Hello from the demo page', 'Hi! How can we help?']);
        expect(await conversationOf(page)).to.equal(conversationId);
        await write(page, 'Still there after a reload');
        await platform.eventually('the second message in messages.list', async () => {
          const res = await platform.post('messages.list', { conversation_id: conversationId });
          return (res.json as { data: { content: { text?: string } }[] }).data.some((m) => m.content.text === 'Still there after a reload') ? true : undefined;
        });
        expect(errors).to.deep.equal([]);
      });

      it('reconnects after the runtime restarts, and still receives', async () => {
        const before = sockets.length;
        await platform.restart();
        // A new socket of the page, authenticated again (the widget retries with backoff: some attempts fail while the runtime is down).
        const fresh = () => sockets.slice(before);
        const socket = await platform.eventually('a new authenticated websocket', async () => fresh().find((frames) => frames.some((f) => f.includes('"authenticated"'))), 60_000);
        await reply(conversationId, 'Back after the restart');
        await platform.eventually('the reply pushed on the new socket', async () => (socket.some((f) => f.includes('Back after the restart')) ? true : undefined));
        await thread(page).getByText('Back after the restart').waitFor();
        await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'hidden' });
      });
    });

    it('renders and sends inside a page on another origin whose CSS is hostile, in the accent colour the page set', async () => {
      const host = await hostilePage(`${platform.url}/widget/widget.js`, channelId);
      try {
        const { page, errors } = await openPage(browser);
        await page.goto(host.url);
        const launcher = page.getByRole('button', { name: 'Open chat' });
        await launcher.waitFor();
        const box = (await launcher.boundingBox())!;
        expect([Math.round(box.width), Math.round(box.height)]).to.deep.equal([56, 56]);
        // Functions passed to evaluate run in the page; `globalThis as any`: the tests are typechecked without the DOM library.
        expect(await launcher.evaluate((node) => (globalThis as any).getComputedStyle(node).backgroundColor), 'the accent colour the page chose').to.equal('rgb(15, 118, 110)');
        await launcher.click();
        expect(await composer(page).evaluate((node) => (node.getRootNode() as any).activeElement === node), 'the composer has the focus').to.equal(true);
        await write(page, 'Sent from a hostile page');
        const bubble = thread(page).getByText('Sent from a hostile page');
        await bubble.waitFor();
        await page.getByText('Sending…').waitFor({ state: 'detached' });
        const style = await bubble.evaluate((node) => {
          const computed = (globalThis as any).getComputedStyle(node);
          return { size: computed.fontSize, color: computed.color, visibility: computed.visibility };
        });
        expect(style).to.deep.equal({ size: '15px', color: 'rgb(255, 255, 255)', visibility: 'visible' });
        if (SCREENSHOTS !== undefined) await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-hostile-page.png') });
        expect(errors).to.deep.equal([]);
        await page.context().close();
      } finally {
        await host.close();
      }
    });

    it('closes with Escape, gives the focus back to the launcher, and counts the replies that came while closed', async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(`${platform.url}/widget/demo.html?channel_id=${channelId}`);
      await write(page, 'Closing the chat now');
      const conversationId = await conversationOf(page);
      await thread(page).getByText('Closing the chat now').waitFor();
      await composer(page).press('Escape');
      const launcher = page.getByRole('button', { name: /^Open chat/ });
      await launcher.waitFor();
      expect(await launcher.evaluate((node) => (node.getRootNode() as any).activeElement === node), 'the launcher has the focus').to.equal(true);
      expect(await launcher.getAttribute('aria-expanded')).to.equal('false');
      await reply(conversationId, 'A reply while closed');
      await page.getByRole('button', { name: 'Open chat, 1 new message' }).click();
      await thread(page).getByText('A reply while closed').waitFor();
      expect(await page.getByRole('button', { name: /^Open chat/ }).count()).to.equal(0);
      expect(errors).to.deep.equal([]);
      await page.context().close();
    });

    it('keeps retrying the resume while the API is unreachable, and a message typed meanwhile joins the same conversation', async () => {
      const { page } = await openPage(browser);
      await page.goto(`${platform.url}/widget/demo.html?channel_id=${channelId}`);
      await write(page, 'Before the outage');
      const conversationId = await conversationOf(page);
      await thread(page).locator('li').filter({ hasText: 'Before the outage' }).filter({ hasNotText: 'Sending' }).waitFor();
      // The network drops every call to the chat plugin while the page reloads.
      await page.route('**/chatplugin.*', (route) => route.abort('connectionrefused'));
      await page.reload();
      await page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor();
      await write(page, 'Typed during the outage');
      await thread(page).getByText('Sending…').waitFor();
      await page.unroute('**/chatplugin.*');
      await page.getByText('Sending…').waitFor({ state: 'detached', timeout: 60_000 });
      const res = await platform.post('messages.list', { conversation_id: conversationId });
      const texts = (res.json as { data: { content: { text?: string } }[] }).data.map((m) => m.content.text);
      expect(texts).to.deep.equal(['Before the outage', 'Typed during the outage']);
      expect(await conversationOf(page)).to.equal(conversationId);
      await page.context().close();
    });

    it('fills a phone screen when open', async () => {
      const { page, errors } = await openPage(browser);
      await page.setViewportSize({ width: 375, height: 667 });
      await page.goto(`${platform.url}/widget/demo.html?channel_id=${channelId}`);
      await composer(page).waitFor();
      const panel = page.getByRole('dialog', { name: 'Parley demo chat' });
      expect(await panel.boundingBox()).to.deep.equal({ x: 0, y: 0, width: 375, height: 667 });
      await page.getByRole('button', { name: 'Close chat' }).first().click();
      await page.getByRole('button', { name: 'Open chat' }).waitFor();
      expect(errors).to.deep.equal([]);
      await page.context().close();
    });

    it('offers to retry a send that did not get through, and the retry stores it once', async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(`${platform.url}/widget/demo.html?channel_id=${channelId}`);
      await write(page, 'First, to start the chat');
      const conversationId = await conversationOf(page);
      await thread(page).locator('li').filter({ hasText: 'First, to start the chat' }).filter({ hasNotText: 'Sending' }).waitFor();
      await page.route('**/chatplugin.send', (route) => route.abort('connectionreset'));
      await write(page, 'Lost on the way');
      const failed = thread(page).locator('li').filter({ hasText: 'Lost on the way' });
      await failed.getByText('Not sent.').waitFor();
      await page.unroute('**/chatplugin.send');
      await failed.getByRole('button', { name: 'Retry' }).click();
      await failed.filter({ hasNotText: 'Not sent' }).filter({ hasNotText: 'Sending' }).waitFor();
      const res = await platform.post('messages.list', { conversation_id: conversationId });
      const texts = (res.json as { data: { content: { text?: string } }[] }).data.map((m) => m.content.text);
      expect(texts).to.deep.equal(['First, to start the chat', 'Lost on the way']);
      expect(errors.filter((e) => !e.includes('ERR_CONNECTION_RESET')), 'no error but the aborted request').to.deep.equal([]);
      await page.context().close();
    });

    it('tells the visitor when the channel is disconnected', async () => {
      const gone = await platform.connectChannel('Soon gone');
      const { page } = await openPage(browser);
      await page.goto(`${platform.url}/widget/demo.html?channel_id=${gone}`);
      await write(page, 'Anyone there?');
      await conversationOf(page, gone);
      const res = await platform.post('channels.chatplugin.disconnect', { channel_id: gone });
      expect(res.status, res.text).to.equal(204);
      await page.getByRole('status').filter({ hasText: 'This chat is not available at the moment.' }).waitFor();
      expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).to.equal(true);
      expect(await page.evaluate((key) => (globalThis as any).localStorage.getItem(key), `parley.chat.${gone}`), 'the dead session is forgotten').to.equal(null);
      await page.context().close();
    });

    it('renews its chat token on the open socket before the token expires, and keeps receiving', async function () {
      this.timeout(90_000);
      // Chat tokens of 60 s (the shortest allowed): the widget renews 10 s after it got one.
      const shortLived = await startWidgetPlatform({ sources: { chatplugin: { tokens: { chatTtlSeconds: 60 } } } });
      try {
        const channel = await shortLived.connectChannel('Short tokens');
        const { page, errors } = await openPage(browser);
        const sent: string[][] = [];
        page.on('websocket', (socket) => {
          const frames: string[] = [];
          sent.push(frames);
          socket.on('framesent', (frame) => frames.push(String(frame.payload)));
        });
        await page.goto(`${shortLived.url}/widget/demo.html?channel_id=${channel}`);
        await write(page, 'A long chat');
        const conversationId = await conversationOf(page, channel);
        const tokens = await shortLived.eventually(
          'a second authenticate frame on the same socket',
          async () => {
            const frames = sent.find((list) => list.length >= 2);
            return frames?.map((f) => (JSON.parse(f) as { type: string; token: string }).token);
          },
          45_000,
        );
        expect(tokens[0]).to.be.a('string');
        expect(tokens[1], 'a new token').to.be.a('string').and.not.equal(tokens[0]);
        const res = await shortLived.post('messages.send', { conversation_id: conversationId, message: { text: 'Still here' } });
        expect(res.status, res.text).to.be.oneOf([200, 201, 202]);
        await thread(page).getByText('Still here').waitFor();
        expect(sent.length, 'one socket all along').to.equal(1);
        expect(errors).to.deep.equal([]);
        await page.context().close();
      } finally {
        await shortLived.stop();
      }
    });

    it('has no serious or critical accessibility violation, closed or open', async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(`${platform.url}/widget/demo.html?channel_id=${channelId}`);
      await composer(page).waitFor();
      await write(page, 'Checking accessibility');
      await thread(page).getByText('Checking accessibility').waitFor();
      await page.evaluate(axe.source); // evaluate, not a script tag: the demo page's CSP allows no inline script
      const open = await seriousViolations(page);
      await page.getByRole('button', { name: 'Close chat' }).first().click();
      await page.getByRole('button', { name: /^Open chat/ }).waitFor();
      const closed = await seriousViolations(page);
      expect({ open, closed }).to.deep.equal({ open: [], closed: [] });
      expect(errors).to.deep.equal([]);
      await page.context().close();
    });
  });
});

/** axe-core over the page (the widget's shadow tree included): the ids and targets of serious and critical violations. */
async function seriousViolations(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const page = globalThis as any;
    const results: axe.AxeResults = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

/** A page on another origin (another port) that styles everything it can reach, with the widget's one tag; it also sets the widget's one theming property. */
async function hostilePage(widgetUrl: string, channelId: string): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><html lang="en"><head><title>Hostile shop</title><style>
    * { font-size: 40px !important; color: red !important; background: lime !important; border: 6px dashed black !important; position: static !important; visibility: visible; }
    button, textarea, ol, li, section, form { display: none !important; visibility: hidden !important; }
    parley-chat { opacity: .1; transform: scale(.2); width: 0; height: 0; overflow: hidden; --parley-chat-accent: rgb(15, 118, 110); }
    body > * { all: unset; }
  </style></head><body><h1>A shop with hostile CSS</h1>
  <script src="${widgetUrl}" data-channel-id="${channelId}"></script></body></html>`;
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
