import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { describeIfChromium, launchBrowser, openPage } from './browser.js';
import { listLoaded, logIn, startInboxPlatform, unexpectedErrors, type InboxPlatform } from './inbox/inbox-fixture.js';

/**
 * The first minute of a newcomer, both sides in one browser: a visitor writes on the demo page,
 * the agent logged into the inbox sees the conversation arrive live, replies from the inbox, the
 * visitor's widget shows the reply, and a reload of either side resumes the conversation.
 */
describeIfChromium('UI > the whole loop: demo page widget ⇄ inbox', function () {
  this.timeout(120_000);
  let platform: InboxPlatform;
  let browser: Browser;
  let channelId: string;

  before(async () => {
    platform = await startInboxPlatform();
    const connected = await platform.post('channels.chatplugin.connect', { name: 'Website chat' });
    expect(connected.status, connected.text).to.be.oneOf([200, 201]);
    channelId = connected.json.id;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const widgetComposer = (page: Page) => page.getByRole('textbox', { name: 'Your message' });
  const widgetThread = (page: Page) => page.getByRole('log', { name: 'Messages' });

  it('a visitor writes, the agent sees it live and replies, the visitor gets the reply; reloads resume both sides', async () => {
    const agent = await openPage(browser);
    await logIn(agent.page, platform.url);
    await agent.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

    const visitor = await openPage(browser);
    await visitor.page.goto(`${platform.url}/widget/demo.html?channel_id=${channelId}`);
    await widgetComposer(visitor.page).fill('Hello, is anyone there?');
    await widgetComposer(visitor.page).press('Enter');
    await widgetThread(visitor.page).getByText('Hello, is anyone there?').waitFor();

    // The inbox shows the new conversation without a reload, and opens it.
    const item = agent.page.locator('.conversation-item').filter({ hasText: 'Hello, is anyone there?' });
    await item.waitFor();
    await item.getByRole('link').click();
    const messages = agent.page.getByRole('list', { name: /^Messages with / });
    await messages.getByText('Hello, is anyone there?').waitFor();

    await agent.page.getByLabel('Reply to the contact').fill('Hi! Ada here, how can I help?');
    await agent.page.getByLabel('Reply to the contact').press('Enter');
    await widgetThread(visitor.page).getByText('Hi! Ada here, how can I help?').waitFor();

    // Either side reloaded: the same conversation, both messages, in order.
    await visitor.page.reload();
    await widgetThread(visitor.page).getByText('Hi! Ada here, how can I help?').waitFor();
    expect(await widgetThread(visitor.page).locator('li .text').allTextContents()).to.deep.equal(['Hello, is anyone there?', 'Hi! Ada here, how can I help?']);
    await agent.page.reload();
    await listLoaded(agent.page);
    await messages.getByText('Hi! Ada here, how can I help?').waitFor();
    await messages.getByText('Hello, is anyone there?').waitFor();

    // And the conversation goes on after the reloads.
    await agent.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await widgetComposer(visitor.page).fill('Where is my order?');
    await widgetComposer(visitor.page).press('Enter');
    await messages.getByText('Where is my order?').waitFor();

    expect(unexpectedErrors(agent.errors)).to.deep.equal([]);
    expect(visitor.errors).to.deep.equal([]);
  });
});
