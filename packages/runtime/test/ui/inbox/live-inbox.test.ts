import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { describeIfChromium, launchBrowser, openPage } from '../browser.js';
import { axeViolations, listLoaded, logIn, screenshot, startInboxPlatform, unexpectedErrors, type InboxPlatform } from './inbox-fixture.js';
import { eventually } from '../../helpers.js';

/** The inbox live: messages a custom source ingests appear without a reload, and replies reach the API. */
describeIfChromium('UI > inbox > live conversation', function () {
  this.timeout(180_000);
  let platform: InboxPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let sourceToken: string;
  let seq = 0;

  /** Ingests messages from contact `contact` through the custom source's webhook (the Source API). */
  const ingest = async (contact: string, contents: unknown[]) => {
    const res = await platform.post(
      'sources.webhook',
      { messages: contents.map((content) => ({ source_message_id: `m-${++seq}`, source_conversation_id: contact, source_channel_id: 'web', sent_at: Date.now(), content, from_contact: true })) },
      sourceToken,
    );
    expect(res.status, res.text).to.be.oneOf([200, 202]);
  };

  before(async () => {
    [platform, browser] = await Promise.all([startInboxPlatform(), launchBrowser()]);
    const source = await platform.post('sources.create', { id: 'shop', name: 'Web shop' });
    expect(source.status, source.text).to.be.oneOf([200, 201]);
    sourceToken = source.json.token;
    expect((await platform.post('sources.channels.create', { source_id: 'shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);
    await ingest('marie', [{ text: 'Hello! Is my order on its way?' }]);
    ({ page, errors } = await openPage(browser));
    await page.setViewportSize({ width: 1280, height: 760 });
    await logIn(page, platform.url);
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows a conversation a source opens while the inbox is open, without a reload', async () => {
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const before = await page.locator('.conversation-item').count();
    await ingest('pierre', [{ text: 'Bonjour, do you ship to Lyon?' }]);
    await page.locator('.conversation-item').filter({ hasText: 'Bonjour, do you ship to Lyon?' }).waitFor();
    expect(await page.locator('.conversation-item').count()).to.equal(before + 1);
    expect(await page.locator('.conversation-item').first().textContent()).to.include('Bonjour, do you ship to Lyon?');
  });

  it('opens a conversation, renders text, postbacks and templates, and marks it read', async () => {
    await page.locator('.conversation-item').filter({ hasText: 'Is my order on its way?' }).getByRole('link').click();
    const messages = page.getByRole('list', { name: /^Messages with / });
    await messages.getByText('Hello! Is my order on its way?').waitFor();
    await ingest('marie', [{ postback: { title: 'Track my order', payload: 'TRACK' } }, { attachment: { type: 'template', payload: { template_type: 'button', text: 'Pick a topic', buttons: [{ title: 'Orders' }, { title: 'Returns' }] } } }]);
    await messages.getByText('Track my order').waitFor();
    await messages.getByRole('group', { name: 'Template button' }).getByText('Returns').waitFor();
    const conversationId = new URL(page.url()).pathname.split('/').pop()!;
    // Opened, hence read: the unread count drops to 0 on the server.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const info = await platform.post('conversations.info', { conversation_id: conversationId });
      if (info.json.metadata.unread_count === 0) break;
      expect(Date.now(), 'conversation marked read').to.be.below(deadline);
      await page.waitForTimeout(200);
    }
  });

  it('sends a reply that reaches messages.list with the agent as sender, and shows it', async () => {
    const conversationId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByLabel('Reply to the contact').fill('It left our warehouse this morning.');
    await page.getByLabel('Reply to the contact').press('Enter');
    await page.locator('.message.from-agent').filter({ hasText: 'It left our warehouse this morning.' }).waitFor();
    // The reply can come back over the live feed before messages.send answers; the composer is
    // cleared once it has answered.
    await eventually(async () => (await page.getByLabel('Reply to the contact').inputValue()) === '', 15_000);
    const list = await platform.post('messages.list', { conversation_id: conversationId });
    const reply = (list.json.data as { content: unknown; sender: { id: string; type: string }; from_contact: boolean }[]).find((m) => JSON.stringify(m.content).includes('warehouse'));
    const me = (await platform.post('users.list')).json.data[0];
    expect(reply).to.deep.include({ content: { text: 'It left our warehouse this morning.' }, from_contact: false, sender: { id: me.id, type: 'user' } });
    expect(await page.locator('.message.from-agent .sender').last().textContent()).to.equal('You');
  });

  it("shows another agent's reply live, under that agent's name", async () => {
    await platform.post('users.create', { email: 'grace@example.com', name: 'Grace', password: 'another long secret' });
    const grace = await platform.post('auth.login', { email: 'grace@example.com', password: 'another long secret' }, null);
    await page.reload();
    await listLoaded(page);
    // The feed must be live before the reply is sent: a socket opened after it would not replay it.
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const conversationId = new URL(page.url()).pathname.split('/').pop()!;
    expect((await platform.post('messages.send', { conversation_id: conversationId, message: { text: 'Grace here, I can help too.' } }, grace.json.token)).status).to.equal(200);
    const reply = page.locator('.message.from-agent').filter({ hasText: 'Grace here, I can help too.' });
    await reply.waitFor();
    expect(await reply.locator('.sender').textContent()).to.equal('Grace');
  });

  it('tags, closes and renames, and the contact panel shows the metadata', async () => {
    await page.getByLabel('New tag name').fill('shipping');
    await page.getByRole('button', { name: 'Create tag' }).click();
    await page.getByRole('button', { name: 'Remove tag shipping' }).waitFor();
    await page.getByRole('button', { name: 'Close conversation' }).click();
    await page.getByRole('button', { name: 'Reopen conversation' }).waitFor();
    await page.getByLabel('Display name').fill('Marie Curie');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Marie Curie' }).waitFor();
    await page.locator('.conversation-item .contact').filter({ hasText: 'Marie Curie' }).waitFor();
    const panel = page.getByRole('complementary', { name: 'Contact' });
    expect(await panel.textContent()).to.include('marie');
    await screenshot(page, 'inbox-conversation');
    expect(await axeViolations(page)).to.deep.equal([]);
  });

  it('keeps the open conversation across a reload and catches up on what came meanwhile', async () => {
    await page.reload();
    await listLoaded(page);
    await page.getByRole('heading', { name: 'Marie Curie' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await ingest('marie', [{ text: 'Thank you!' }]);
    await page.getByRole('list', { name: /^Messages with / }).getByText('Thank you!').waitFor();
    expect(unexpectedErrors(errors)).to.deep.equal([]);
  });
});
