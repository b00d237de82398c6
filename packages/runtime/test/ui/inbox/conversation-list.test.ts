import { expect } from 'chai';
import { conversationId } from '@parley/schemas';
import type { Browser, Page } from 'playwright-core';
import { describeIfChromium, launchBrowser, openPage } from '../browser.js';
import { FACEBOOK, SMS, axeViolations, inbound, logIn, screenshot, startInboxPlatform, unexpectedErrors, type InboxPlatform } from './inbox-fixture.js';

const FACEBOOK_CONTACTS = 600;
const SMS_CONTACTS = 400;
const TOTAL = FACEBOOK_CONTACTS + SMS_CONTACTS;

describeIfChromium('UI > inbox > conversation list over 1,000 conversations', function () {
  this.timeout(300_000);
  let platform: InboxPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const read: string[] = [];
  const tagged: string[] = [];
  const closed: string[] = [];

  before(async () => {
    [platform, browser] = await Promise.all([startInboxPlatform(), launchBrowser()]);
    const start = Date.UTC(2026, 0, 1);
    const messages = [
      ...Array.from({ length: FACEBOOK_CONTACTS }, (_, i) => inbound(FACEBOOK, `psid-${i}`, `m-fb-${i}`, `hello from facebook contact ${i}`, start + i * 1000)),
      ...Array.from({ length: SMS_CONTACTS }, (_, i) => inbound(SMS, `+49151000${String(i).padStart(4, '0')}`, `m-sms-${i}`, `hello from sms contact ${i}`, start + 500 + i * 1000)),
    ];
    await platform.seed({ channels: [FACEBOOK, SMS], messages });
    const fb = (i: number) => conversationId(FACEBOOK.id, `psid-${i}`);
    read.push(...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(fb));
    for (const id of read) expect((await platform.post('conversations.mark-read', { conversation_id: id })).status).to.equal(204);
    const tag = await platform.post('tags.create', { name: 'vip', color: 'tag-purple' });
    tagged.push(...[100, 101, 102, 103, 104].map(fb));
    for (const id of tagged) expect((await platform.post('conversations.tag', { conversation_id: id, tag_id: tag.json.id })).status).to.equal(204);
    closed.push(...[200, 201, 202].map(fb));
    for (const id of closed) expect((await platform.post('conversations.set-state', { conversation_id: id, state: 'CLOSED' })).status).to.equal(204);
    expect((await platform.post('conversations.update-contact', { conversation_id: fb(300), display_name: 'Zelda Unique' })).status).to.equal(204);
    ({ page, errors } = await openPage(browser));
    await logIn(page, platform.url);
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const count = (shown: number, total: number) => page.getByRole('status').filter({ hasText: new RegExp(`^${shown} of ${total} conversations$`) }).waitFor();
  const items = () => page.locator('.conversation-item a').evaluateAll((links) => links.map((a) => a.getAttribute('data-conversation-id')));

  it('shows the first page, newest first, with unread counts', async () => {
    await count(50, TOTAL);
    const ids = await items();
    expect(ids).to.have.length(50);
    // Newest: the last Facebook contact (600 messages a second apart; the SMS ones end earlier).
    expect(ids.slice(0, 2)).to.deep.equal([conversationId(FACEBOOK.id, `psid-${FACEBOOK_CONTACTS - 1}`), conversationId(FACEBOOK.id, `psid-${FACEBOOK_CONTACTS - 2}`)]);
    expect(await page.locator('.conversation-item').first().getByLabel('1 unread').count()).to.equal(1);
    expect(await axeViolations(page)).to.deep.equal([]);
    await screenshot(page, 'inbox-list');
  });

  it('pages with the cursor until every conversation of a filter is listed, each once', async () => {
    await page.getByLabel('Source').selectOption('twilio.sms');
    await count(50, SMS_CONTACTS);
    for (let shown = 100; shown <= SMS_CONTACTS; shown += 50) {
      await page.getByRole('button', { name: 'Load more conversations' }).click();
      await count(shown, SMS_CONTACTS);
    }
    expect(await page.getByRole('button', { name: 'Load more conversations' }).count()).to.equal(0);
    const ids = await items();
    expect(new Set(ids).size).to.equal(SMS_CONTACTS);
    await page.getByLabel('Source').selectOption('');
    await count(50, TOTAL);
    await page.getByRole('button', { name: 'Load more conversations' }).click();
    await count(100, TOTAL);
  });

  it('filters by channel, unread, tag, state and contact name', async () => {
    await page.getByLabel('Channel').selectOption(FACEBOOK.id);
    await count(50, FACEBOOK_CONTACTS);
    await page.getByLabel('Channel').selectOption('');
    await page.getByRole('checkbox', { name: `Unread only (${TOTAL - read.length})` }).check();
    await count(50, TOTAL - read.length);
    expect(await items()).not.to.include.members(read.slice(0, 1));
    await page.getByRole('checkbox', { name: 'Unread only' }).uncheck();
    await page.getByLabel('Tag').selectOption({ label: 'vip' });
    await count(tagged.length, tagged.length);
    expect((await items()).sort()).to.deep.equal([...tagged].sort());
    await page.getByLabel('Tag').selectOption('');
    await page.getByLabel('State').selectOption('CLOSED');
    await count(closed.length, closed.length);
    expect((await items()).sort()).to.deep.equal([...closed].sort());
    await page.getByLabel('State').selectOption('');
    await page.getByLabel('Search contacts').fill('zelda');
    await count(1, 1);
    expect(await page.locator('.conversation-item .contact').textContent()).to.equal('Zelda Unique');
    await page.getByLabel('Search contacts').fill('');
    await count(50, TOTAL);
    expect(unexpectedErrors(errors)).to.deep.equal([]);
  });
});
