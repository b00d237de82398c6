import { expect } from 'chai';
import { channelId, conversationId, messageId } from '@parley/schemas';
import { FACEBOOK_DEAD_LETTER_TOPIC, FACEBOOK_EVENTS_TOPIC, hubSignature } from '@parley/sources';
import { createPlatform } from '../../src/index.js';
import { eventually, forEachBackend, readTestResponse, tempDir } from '../helpers.js';
import { GRAPH_ANSWERS } from './fake-graph-api.js';
import { GRAPH_VERSION as VERSION, META_APP_SECRET as APP_SECRET, metaFixture, useMetaPlatform } from './meta-platform.js';

const fixture = (name: string) => metaFixture('facebook', name);

const VERIFY_TOKEN = 'verify-token-42';
const PAGE = '1111';
const PAGE_TOKEN = 'EAAG-page-token-of-page-1111';
const CHANNEL = channelId('facebook', PAGE);
const CONVERSATION = conversationId(CHANNEL, 'PSID-1');
const USER_TOKEN = 'EAAG-user-token-of-the-page-admin';

forEachBackend('Providers > Facebook Messenger end to end (signed webhook → API, messages.send → fake Graph API → delivery state)', function (backend) {
  this.timeout(60_000);
  const platform = useMetaPlatform(backend, {
    provider: 'facebook',
    conversation: CONVERSATION,
    pages: { [PAGE]: PAGE_TOKEN },
    profiles: { 'PSID-1': { page: PAGE, first_name: 'Ada', last_name: 'Lovelace', profile_pic: 'https://platform-lookaside.example/ada.jpg' } },
    config: { appId: '424242', verifyToken: VERIFY_TOKEN },
    retryDelaysMs: [10, 20],
    users: {
      [USER_TOKEN]: [
        { id: PAGE, name: 'Acme Shop', picture: 'https://scontent.example/acme.jpg' },
        { id: '2222', name: 'Acme Outlet' },
        { id: '3333', name: 'Acme Careers', picture: 'https://scontent.example/careers.jpg' },
      ],
    },
    accountsPageSize: 2,
  });
  const { post, webhook, messages, rawCount } = platform;

  it('answers the hub handshake only with the verify token, and client.config lists the provider and its webhook', async () => {
    const ok = await fetch(`${platform.runtime.url}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect([ok.status, await ok.text()]).to.deep.equal([200, '1158201444']);
    for (const query of [`hub.mode=subscribe&hub.verify_token=wrong-token-42&hub.challenge=1`, `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`, 'hub.challenge=1']) {
      const res = await readTestResponse(await fetch(`${platform.runtime.url}/webhooks/facebook?${query}`));
      expect([res.status, res.json?.code], query).to.deep.equal([403, 'SOURCES_TOKEN_INVALID']);
    }
    const config = (await post('client.config', {})).json;
    expect(config.sources.facebook).to.deep.equal({ enabled: true });
    expect(config.features.webhooks).to.include('facebook');
    expect(config.topologies).to.include.members(['facebook-router', 'facebook-connector']);
  });

  it('refuses unsigned, forged and non-page bodies before storing anything; routes a signed one once even when Meta retries it', async () => {
    const connected = await post('channels.facebook.connect', { page_id: PAGE, page_token: PAGE_TOKEN, name: 'Acme Shop' });
    expect([connected.status, connected.json]).to.deep.equal([201, { id: CHANNEL, source: 'facebook', source_channel_id: PAGE, connected: true, name: 'Acme Shop' }]);
    expect(JSON.stringify(connected.json)).to.not.include(PAGE_TOKEN);

    const body = fixture('text-message.json');
    const altered = Buffer.from(body.toString('utf8').replace('Hello', 'Hellp'));
    const refused = [
      await webhook(body, {}),
      await webhook(altered, { 'x-hub-signature-256': hubSignature(APP_SECRET, body) }),
      await webhook(body, { 'x-hub-signature': hubSignature(APP_SECRET, body, 'sha1') }),
    ];
    expect(refused.map((r) => [r.status, r.json.code])).to.deep.equal(Array(3).fill([401, 'SOURCES_SIGNATURE_INVALID']));
    const instagram = Buffer.from(body.toString('utf8').replace('"page"', '"instagram"'));
    const wrongObject = await webhook(instagram);
    expect([wrongObject.status, wrongObject.json.code]).to.deep.equal([400, 'SOURCES_INVALID_PAYLOAD']);
    expect(await rawCount(FACEBOOK_EVENTS_TOPIC)).to.equal(0);

    expect((await webhook(body)).status).to.equal(200);
    expect((await webhook(body)).status).to.equal(200);
    expect(await rawCount(FACEBOOK_EVENTS_TOPIC)).to.equal(2);
    await eventually(async () => (await messages()).length === 1, 20_000);
    const [message] = await messages();
    expect(message).to.deep.include({ id: messageId(CHANNEL, 'm_text_1'), delivery_state: 'delivered', from_contact: true, source: 'facebook', sent_at: new Date(1_700_000_000_000).toISOString() });
    expect(message.content.message.text).to.equal('Hello, is my order on its way?');
    const conversations = (await post('conversations.list', {})).json.data;
    expect(conversations.map((c: { id: string }) => c.id)).to.deep.equal([CONVERSATION]);
    // The contact's profile, fetched once for the conversation with the page token.
    const contact = async () => (await post('conversations.list', {})).json.data[0].metadata.contact;
    await eventually(async () => (await contact()).fetch_state === 'ok', 20_000);
    expect(await contact()).to.deep.include({ display_name: 'Ada Lovelace', avatar_url: 'https://platform-lookaside.example/ada.jpg' });
    expect(platform.graph.calls.filter((c) => c.method === 'GET')).to.deep.equal([{ method: 'GET', path: `/${VERSION}/PSID-1`, token: PAGE_TOKEN, body: undefined }]);
    // The page token is a secret: channels.list never shows it.
    expect(JSON.stringify((await post('channels.list', {})).json)).to.not.include(PAGE_TOKEN);
  });

  it("conversations.refetch (202) makes the connector fetch the contact's profile again", async () => {
    expect((await post('channels.facebook.connect', { page_id: PAGE, page_token: PAGE_TOKEN, name: 'Acme Shop' })).status).to.equal(201);
    expect((await webhook(fixture('text-message.json'))).status).to.equal(200);
    const contact = async () => (await post('conversations.info', { conversation_id: CONVERSATION })).json?.metadata?.contact;
    await eventually(async () => (await contact())?.fetch_state === 'ok', 20_000);
    const profileCalls = () => platform.graph.calls.filter((c) => c.method === 'GET' && c.path === `/${VERSION}/PSID-1`).length;
    expect(profileCalls()).to.equal(1);
    const res = await post('conversations.refetch', { conversation_id: CONVERSATION });
    expect([res.status, res.json]).to.deep.equal([202, { conversation_id: CONVERSATION, fetch_state: 'requested' }]);
    await eventually(async () => profileCalls() === 2, 20_000);
    await eventually(async () => (await contact()).fetch_state === 'ok', 20_000);
    expect(await contact()).to.deep.include({ display_name: 'Ada Lovelace' });
    const unknown = await post('conversations.refetch', { conversation_id: conversationId(CHANNEL, 'PSID-nobody') });
    expect([unknown.status, unknown.json.code]).to.deep.equal([404, 'RUNTIME_NOT_FOUND']);
  });

  it('sends an agent reply through the Graph API and shows DELIVERED with source.id, then read by the watermark; retries rate limits; reports the 24-hour window error as FAILED', async () => {
    await post('channels.facebook.connect', { page_id: PAGE, page_token: PAGE_TOKEN });
    expect((await webhook(fixture('text-message.json'))).status).to.equal(200);
    await eventually(async () => (await messages()).length === 1, 20_000);

    const sent = await post('messages.send', { conversation_id: CONVERSATION, message: { text: 'It ships tomorrow.' } });
    expect(sent.status).to.equal(200);
    const state = async (id: string) => (await messages()).find((m: { id: string }) => m.id === id);
    await eventually(async () => (await state(sent.json.id))?.delivery_state === 'delivered', 20_000);
    const sends = () => platform.graph.calls.filter((c) => c.method === 'POST');
    expect(sends()).to.deep.equal([
      { method: 'POST', path: `/${VERSION}/${PAGE}/messages`, token: PAGE_TOKEN, body: { recipient: { id: 'PSID-1' }, messaging_type: 'RESPONSE', message: { text: 'It ships tomorrow.' } } },
    ]);
    await eventually(async () => (await state(sent.json.id))?.metadata?.source?.id === 'm_graph_1', 10_000);
    // The contact reads it: Meta's read watermark marks it read.
    const read = Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: PAGE, time: Date.now(), messaging: [{ sender: { id: 'PSID-1' }, recipient: { id: PAGE }, timestamp: Date.now(), read: { watermark: Date.now() + 1000 } }] }] }));
    expect((await webhook(read)).status).to.equal(200);
    await eventually(async () => (await state(sent.json.id))?.metadata?.source?.delivery_state === 'read', 20_000);

    platform.graph.queue(GRAPH_ANSWERS.customRateLimit, GRAPH_ANSWERS.tooManyRequests);
    const limited = await post('messages.send', { conversation_id: CONVERSATION, message: { text: 'Anything else?' } });
    await eventually(async () => (await state(limited.json.id))?.delivery_state === 'delivered', 20_000);
    expect(sends().slice(1).map((c) => c.body.message.text)).to.deep.equal(Array(3).fill('Anything else?'));

    platform.graph.queue(GRAPH_ANSWERS.outsideWindow);
    const late = await post('messages.send', { conversation_id: CONVERSATION, message: { text: 'Are you still there?' } });
    await eventually(async () => (await state(late.json.id))?.delivery_state === 'failed', 20_000);
    await eventually(async () => (await state(late.json.id))?.metadata?.error === '(#10) This message is sent outside of allowed window.', 10_000);
    expect(JSON.parse((await state(late.json.id)).metadata.source.error).error.error_subcode).to.equal(2018278);
    expect(sends()).to.have.length(5);
  });

  it("puts a contact's reaction to an agent's reply on that reply (found by the mid Graph gave it), and removes it on unreact", async () => {
    await post('channels.facebook.connect', { page_id: PAGE, page_token: PAGE_TOKEN });
    expect((await webhook(fixture('text-message.json'))).status).to.equal(200);
    await eventually(async () => (await messages()).length === 1, 20_000);
    platform.graph.nextMessageIds('m_reply_7');
    const sent = await post('messages.send', { conversation_id: CONVERSATION, message: { text: 'It ships tomorrow.' } });
    const reply = async () => (await messages()).find((m: { id: string }) => m.id === sent.json.id);
    await eventually(async () => (await reply())?.metadata?.source?.id === 'm_reply_7', 20_000);
    const reaction = (action: 'react' | 'unreact', at: number) =>
      Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: PAGE, time: at, messaging: [{ sender: { id: 'PSID-1' }, recipient: { id: PAGE }, timestamp: at, reaction: { mid: 'm_reply_7', action, ...(action === 'react' ? { reaction: 'love', emoji: '\\u{2764}\\u{FE0F}' } : {}) } }] }] }));
    const reactedAt = Date.now();
    expect((await webhook(reaction('react', reactedAt))).status).to.equal(200);
    await eventually(async () => (await reply())?.metadata?.reaction?.emoji === '\u2764\uFE0F', 20_000);
    expect((await reply()).metadata.reaction.sent_at).to.equal(reactedAt);
    expect(await messages()).to.have.length(2);
    expect((await webhook(reaction('unreact', reactedAt + 1))).status).to.equal(200);
    await eventually(async () => (await reply())?.metadata?.reaction === undefined, 20_000);
  });

  it('channels.facebook.explore lists the pages a user token manages (all of Graph\'s paging), each marked connected or not; a refused token is 403', async () => {
    expect((await post('channels.facebook.connect', { page_id: PAGE, page_token: PAGE_TOKEN, name: 'Acme Shop' })).status).to.equal(201);
    const explored = await post('channels.facebook.explore', { auth_token: USER_TOKEN });
    expect([explored.status, explored.json]).to.deep.equal([
      200,
      {
        data: [
          { page_id: PAGE, name: 'Acme Shop', image_url: 'https://scontent.example/acme.jpg', connected: true },
          { page_id: '2222', name: 'Acme Outlet', image_url: null, connected: false },
          { page_id: '3333', name: 'Acme Careers', image_url: 'https://scontent.example/careers.jpg', connected: false },
        ],
      },
    ]);
    const accounts = platform.graph.calls.filter((c) => c.path === `/${VERSION}/me/accounts`);
    expect(accounts.map((c) => [c.method, c.token])).to.deep.equal([['GET', USER_TOKEN], ['GET', USER_TOKEN]]);
    // A page token is not a user token: Graph refuses it, and so does the route.
    const refused = await post('channels.facebook.explore', { auth_token: PAGE_TOKEN });
    expect([refused.status, refused.json.code]).to.deep.equal([403, 'SOURCES_TOKEN_INVALID']);
    const bad = await post('channels.facebook.explore', { auth_token: 'short' });
    expect([bad.status, bad.json.code]).to.deep.equal([400, 'RUNTIME_INVALID_REQUEST']);
    // Disconnected, the page is listed as not connected.
    expect((await post('channels.facebook.disconnect', { channel_id: CHANNEL })).status).to.equal(204);
    expect((await post('channels.facebook.explore', { auth_token: USER_TOKEN })).json.data[0]).to.deep.include({ page_id: PAGE, connected: false });
  });

  it('answers bad channel requests and hostile webhook bodies with a 4xx {message, code}, storing nothing', async () => {
    const bad: unknown[] = [{}, { page_id: PAGE }, { page_id: 'not-digits', page_token: PAGE_TOKEN }, { page_id: PAGE, page_token: 'short' }, { page_id: PAGE, page_token: PAGE_TOKEN, image_url: 'javascript:alert(1)' }, [], 'x', null];
    for (const body of bad) {
      const res = await post('channels.facebook.connect', body);
      expect([res.status, typeof res.json?.message], JSON.stringify(body)).to.deep.equal([400, 'string']);
      expect(res.json.code, JSON.stringify(body)).to.be.oneOf(['RUNTIME_INVALID_REQUEST', 'RUNTIME_INVALID_JSON']);
    }
    const notAUuid = await post('channels.facebook.disconnect', { channel_id: 'x' });
    expect([notAUuid.status, notAUuid.json.code]).to.deep.equal([400, 'RUNTIME_INVALID_REQUEST']);
    const hostile = ['', 'null', '[]', '{"object":"page"}', '{"object":"page","entry":[{"id":"../../etc"}]}', '{"object":"page","entry":[{"id":"1","messaging":"x"}]}', '['.repeat(10_000), '{"object":"page","entry":[{"id":"\ud800"}]}'];
    for (const text of hostile) {
      const res = await webhook(Buffer.from(text));
      expect([res.status, res.json?.code], text.slice(0, 40)).to.deep.equal([400, 'SOURCES_INVALID_PAYLOAD']);
    }
    expect(await rawCount(FACEBOOK_EVENTS_TOPIC)).to.equal(0);
    expect(await rawCount('application.communication.channels')).to.equal(0);
  });

  it('dead-letters events of unknown pages, and of a page once disconnected (its token forgotten)', async () => {
    expect((await webhook(fixture('unknown-page.json'))).status).to.equal(200);
    await eventually(async () => (await rawCount(FACEBOOK_DEAD_LETTER_TOPIC)) === 1, 20_000);

    const connected = await post('channels.facebook.connect', { page_id: PAGE, page_token: PAGE_TOKEN });
    expect((await post('channels.facebook.disconnect', { channel_id: connected.json.id })).status).to.equal(204);
    expect((await post('channels.facebook.disconnect', { channel_id: connected.json.id })).status).to.equal(204);
    const unknown = await post('channels.facebook.disconnect', { channel_id: channelId('facebook', '5555') });
    expect([unknown.status, unknown.json.code]).to.deep.equal([404, 'SOURCES_CHANNEL_NOT_FOUND']);
    expect((await webhook(fixture('text-message.json'))).status).to.equal(200);
    await eventually(async () => (await rawCount(FACEBOOK_DEAD_LETTER_TOPIC)) === 2, 20_000);
    const letters = await platform.runtime.log.read({ topic: FACEBOOK_DEAD_LETTER_TOPIC, partition: 0 }, 0);
    expect(letters.map((l) => JSON.parse(l.value!.toString('utf8')).reason)).to.deep.equal(['no Facebook channel for page 9999', 'the channel of page 1111 is disconnected']);
    expect(await messages()).to.deep.equal([]);
  });
});

describe('Providers > Facebook Messenger in the platform', function () {
  this.timeout(30_000);

  it('runs only once configured: without a sources.facebook section the platform starts without it; a bad section names the field', async () => {
    const runtime = createPlatform({ dataDir: tempDir('facebook-off'), http: { port: 0 } }, { logging: { level: 'silent' } });
    await runtime.start();
    try {
      expect((await fetch(`${runtime.url}/webhooks/facebook?hub.mode=subscribe`)).status).to.equal(404);
      expect([...runtime.apps.keys()]).to.not.include('facebook-router');
    } finally {
      await runtime.stop();
    }
    let err: unknown;
    try {
      createPlatform({ dataDir: tempDir('facebook-bad'), http: { port: 0 }, sources: { facebook: { appId: '1', appSecret: 'short', verifyToken: VERIFY_TOKEN } } }, { logging: { level: 'silent' } });
    } catch (e) {
      err = e;
    }
    expect(err).to.include({ code: 'RUNTIME_CONFIG_INVALID', field: 'sources.facebook.appSecret' });
  });
});
