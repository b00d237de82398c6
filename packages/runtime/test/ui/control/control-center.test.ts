import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../../helpers.js';
import { describeIfChromium, launchBrowser } from '../browser.js';
import { openControlPage, screenshot, seriousViolations, startControlPlatform, type ControlPlatform } from './control-fixture.js';

interface ChannelJson {
  id: string;
  source: string;
  source_channel_id: string;
  connected: boolean;
}

/** The control center in Chromium against a started platform: every screen through the real Core API. */
describeIfChromium('UI > control center', function () {
  this.timeout(90_000);
  let platform: ControlPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    platform = await startControlPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });
  beforeEach(async () => {
    ({ page, errors } = await openControlPage(browser, platform.url, platform.token));
  });
  afterEach(async () => {
    await page.context().close();
  });

  const channels = async (): Promise<ChannelJson[]> => ((await platform.post('channels.list')).json as { data: ChannelJson[] }).data;
  const expectAccessible = async () => expect(await seriousViolations(page)).to.deep.equal([]);

  it('connects a website chat and shows its embed snippet, copyable, with a demo link; then disconnects it', async () => {
    await page.goto(`${platform.url}/ui/control`);
    await page.getByRole('heading', { name: 'Channels', level: 1 }).waitFor();
    await page.getByText('No channels yet').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Acme website');
    await page.getByRole('button', { name: 'Connect website chat' }).click();
    const snippet = page.getByLabel('Embed snippet');
    await snippet.waitFor();

    const chat = (await channels()).find((c) => c.source === 'chatplugin');
    expect(chat, 'the channel the form connected').to.not.equal(undefined);
    const expected = `<script src="${platform.url}/widget/widget.js" data-channel-id="${chat!.id}"></script>`;
    expect(await snippet.textContent()).to.equal(expected);
    expect(await page.getByRole('link', { name: 'Try it on the demo page' }).getAttribute('href')).to.equal(`/widget/demo.html?channel_id=${chat!.id}`);
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await page.getByText('Copied', { exact: true }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).to.equal(expected);

    const row = page.getByRole('row').filter({ hasText: 'Acme website' });
    await row.getByText('Connected', { exact: true }).waitFor();
    await screenshot(page, 'channels');
    await expectAccessible();

    await row.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('button', { name: 'Confirm disconnect of Acme website' }).click();
    await row.getByText('Disconnected', { exact: true }).waitFor();
    expect((await channels()).find((c) => c.id === chat!.id)?.connected).to.equal(false);
    expect(errors).to.deep.equal([]);
  });

  it('creates a custom source, shows its token once (and the token works), and adds a channel to it', async () => {
    await page.goto(`${platform.url}/ui/control/sources`);
    await page.getByRole('heading', { name: 'Custom sources', level: 1 }).waitFor();
    await page.getByLabel('ID', { exact: true }).fill('acme-crm');
    await page.getByLabel('Name (optional)').fill('Acme CRM');
    await page.getByRole('button', { name: 'Create source' }).click();
    const secret = page.getByRole('region', { name: 'Credentials of acme-crm' });
    await secret.getByText('Copy it now').waitFor();
    const token = (await secret.locator('.cc-secret-value').first().textContent())!;
    expect(token).to.match(/^psrc\.acme-crm\./);
    await screenshot(page, 'custom-source');
    await expectAccessible();

    // The token shown is the source's real credential.
    const message = { source_message_id: 'm-1', source_conversation_id: 'contact-1', source_channel_id: 'crm-inbox-1', sent_at: Date.now(), content: { text: 'hi' }, from_contact: true };
    const sent = await platform.post('sources.webhook', { messages: [message] }, token);
    expect(sent.status, sent.text).to.equal(200);

    // Shown once: dismissed, and not in the page after a reload either.
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await secret.waitFor({ state: 'detached' });
    expect(await page.content()).to.not.include(token);
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'acme-crm' });
    await row.getByText('Acme CRM').waitFor();
    expect(await page.content()).to.not.include(token);

    await row.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Source channel ID').fill('crm-inbox-1');
    await page.getByRole('button', { name: 'Add channel to acme-crm' }).click();
    await page.getByText('Channel crm-inbox-1 connected').waitFor();
    // channels.list reads the communication read model, which shows the new channel a moment later.
    await eventually(async () => (await channels()).some((c) => c.source === 'acme-crm'), 20_000);
    expect((await channels()).find((c) => c.source === 'acme-crm')).to.include({ source_channel_id: 'crm-inbox-1', connected: true });

    await page.getByRole('link', { name: 'Channels' }).click();
    const group = page.getByRole('region', { name: 'acme-crm channels' });
    await group.getByText('custom source').waitFor();
    await group.getByText('Connected', { exact: true }).waitFor();
    expect(errors).to.deep.equal([]);
  });

  it("connects a provider's channel through its own form (Google, configured)", async () => {
    await page.goto(`${platform.url}/ui/control/channels`);
    await page.getByRole('button', { name: 'Connect Google Business Messages' }).click();
    await page.getByLabel('Agent ID').fill('acme-agent');
    await page.getByLabel('Name', { exact: true }).last().fill('Acme on Google');
    await page.getByRole('button', { name: 'Connect agent' }).click();
    await page.getByText('Connected a Google Business Messages channel.').waitFor();
    await page.getByRole('region', { name: 'google channels' }).getByText('Acme on Google').waitFor();
    expect((await channels()).find((c) => c.source === 'google')).to.include({ source_channel_id: 'acme-agent', connected: true });
    expect(errors).to.deep.equal([]);
  });

  it("connects a Facebook page (its token typed into a password field, never shown) and a Twilio SMS number, and disconnects each through its provider's route", async () => {
    const pageToken = 'EAAG-page-token-0123456789';
    await page.goto(`${platform.url}/ui/control/channels`);
    await page.getByRole('button', { name: 'Connect Facebook Messenger' }).click();
    await page.getByLabel('Page ID').fill('1234567890');
    const tokenField = page.getByLabel('Page token');
    expect(await tokenField.getAttribute('type')).to.equal('password');
    await tokenField.fill(pageToken);
    await page.getByLabel('Name (optional)').fill('Acme Shop');
    await screenshot(page, 'provider-form');
    await expectAccessible();
    await page.getByRole('button', { name: 'Connect Facebook page' }).click();
    await page.getByText('Connected a Facebook Messenger channel.').waitFor();
    const facebook = page.getByRole('region', { name: 'facebook channels' });
    await facebook.getByText('Acme Shop').waitFor();
    expect(await page.content()).to.not.include(pageToken);

    await page.getByRole('button', { name: 'Connect Twilio SMS' }).click();
    await page.getByLabel('Phone number').fill('+4915112345678');
    await page.getByRole('button', { name: 'Connect Twilio SMS number' }).click();
    const sms = page.getByRole('region', { name: 'twilio.sms channels' });
    await sms.getByText('Connected', { exact: true }).waitFor();

    for (const group of [facebook, sms]) {
      await group.getByRole('button', { name: 'Disconnect' }).click();
      await group.getByRole('button', { name: /^Confirm disconnect of / }).click();
      await group.getByText('Disconnected', { exact: true }).waitFor();
    }
    const states = (await channels()).filter((c) => c.source === 'facebook' || c.source === 'twilio.sms').map((c) => [c.source, c.connected]);
    expect(states).to.have.deep.members([['facebook', false], ['twilio.sms', false]]);
    expect(errors).to.deep.equal([]);
  });

  it('subscribes a webhook (secret shown once), shows a failed event as a dead letter, and replays it', async () => {
    platform.receiver.status = 500;
    await page.goto(`${platform.url}/ui/control/webhooks`);
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByLabel('URL').fill(platform.receiver.url);
    await page.getByLabel('Name (optional)').fill('CRM sync');
    await page.getByLabel('channel.updated').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const secret = page.getByRole('region', { name: 'Signing secret of CRM sync' });
    const firstSecret = await secret.locator('.cc-secret-value').textContent();
    expect(firstSecret).to.match(/^whsec_/);
    const hook = ((await platform.post('webhooks.list')).json as { data: { id: string; name: string; events: string[] }[] }).data.find((w) => w.name === 'CRM sync');
    expect(hook?.events).to.deep.equal(['channel.updated']);
    await page.getByRole('button', { name: 'I have copied it' }).click();

    // An event the receiver refuses: one retry (retrySchedule [0.05]), then a dead letter.
    expect((await platform.post('channels.chatplugin.connect', { name: 'Webhook trigger' })).status).to.equal(201);
    await page.getByRole('link', { name: 'CRM sync' }).click();
    const detail = page.getByRole('region', { name: 'Webhook CRM sync' });
    await detail.getByText('subscribed', { exact: true }).waitFor();
    await eventually(async () => {
      await detail.getByRole('button', { name: 'Refresh' }).click();
      return (await detail.getByRole('button', { name: /^Replay \d+ dead letters?$/ }).count()) === 1;
    }, 30_000);
    await detail.getByText('channel.updated').first().waitFor();
    await screenshot(page, 'webhooks');
    await expectAccessible();

    platform.receiver.status = 200;
    // The connect wrote one channel.updated event, maybe more (name metadata): each is a dead letter.
    const replayButton = detail.getByRole('button', { name: /^Replay \d+ dead letters?$/ });
    const dead = Number(/\d+/.exec((await replayButton.textContent())!)![0]);
    expect(await detail.getByRole('row').filter({ hasText: 'HTTP 500' }).filter({ hasText: 'channel.updated' }).count()).to.equal(dead);
    await replayButton.click();
    await detail.getByText(`${dead} deliver${dead === 1 ? 'y' : 'ies'} queued again.`).waitFor();
    await eventually(() => platform.receiver.received.some((r) => r.type === 'channel.updated'), 30_000);
    await eventually(async () => {
      await detail.getByRole('button', { name: 'Refresh' }).click();
      return (await detail.getByRole('cell', { name: 'delivered' }).count()) > 0;
    }, 30_000);
    await detail.getByText('No dead letters.').waitFor();
    expect(page.url()).to.equal(`${platform.url}/ui/control/webhooks/${hook!.id}`);
    expect(errors).to.deep.equal([]);
  });

  it("rotates a webhook's secret (shown once) and replays the log since a time, with the events' original ids", async () => {
    // This webhook's deliveries go to a path of their own.
    const url = `${platform.receiver.url}/replayed`;
    const mine = () => platform.receiver.received.filter((r) => r.path === '/events/replayed');
    const hook = (await platform.post('webhooks.subscribe', { url, name: 'Replayed', events: ['channel.updated'] })).json as { id: string; signing_secret: string };
    platform.receiver.status = 200;
    expect((await platform.post('channels.chatplugin.connect', { name: 'Replay source' })).status).to.equal(201);
    await eventually(() => mine().length > 0, 30_000);
    const delivered = mine().map((r) => r.id);

    await page.goto(`${platform.url}/ui/control/webhooks/${hook.id}`);
    const detail = page.getByRole('region', { name: 'Webhook Replayed' });
    await detail.getByRole('button', { name: 'Rotate signing secret' }).click();
    const rotated = await detail.getByRole('region', { name: 'New signing secret' }).locator('.cc-secret-value').textContent();
    expect(rotated).to.match(/^whsec_/).and.not.equal(hook.signing_secret);
    await detail.getByRole('button', { name: 'I have copied it' }).click();

    const replayedFrom = mine().length;
    await detail.getByLabel('Replay the events logged since').fill('2020-01-01T00:00');
    await detail.getByRole('button', { name: 'Replay events' }).click();
    await detail.getByText(/^\d+ events? queued for replay\.$/).waitFor();
    await eventually(() => mine().slice(replayedFrom).some((r) => delivered.includes(r.id)), 30_000);
    expect(errors).to.deep.equal([]);
  });

  it('shows the communication topology running, with its lag and how far it caught up, refreshes, and shows the runtime', async () => {
    await page.goto(`${platform.url}/ui/control/topologies`);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'communication' }) });
    await row.locator('[data-state="running"]').waitFor();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await row.locator('[data-state="running"]').waitFor();
    await row.getByText(/input partitions?/).click();
    await row.getByText(/^.*\[0\]/).first().waitFor();
    // Nothing is written meanwhile: the app catches up (the screen refreshes itself every 5 s).
    await row.getByText('100 %').waitFor();
    const runtime = page.getByRole('region', { name: 'Runtime' });
    await runtime.getByText('facebook, google, twilio-sms').waitFor();
    await runtime.getByText('embedded', { exact: true }).waitFor();
    await screenshot(page, 'topologies');
    await expectAccessible();
    expect(errors).to.deep.equal([]);
  });

  it('keeps each screen a deep link: tabs push history, back returns, a reload stays, an unknown screen says so', async () => {
    await page.goto(`${platform.url}/ui/control/topologies`);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    expect(page.url()).to.equal(`${platform.url}/ui/control/webhooks`);
    await page.goBack();
    await page.getByRole('heading', { name: 'Topologies', level: 1 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Topologies', level: 1 }).waitFor();
    await page.goto(`${platform.url}/ui/control/nothing`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(errors).to.deep.equal([]);
  });
});
