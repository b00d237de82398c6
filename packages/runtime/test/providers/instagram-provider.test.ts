import { expect } from 'chai';
import { channelId, conversationId, messageId } from '@parley/schemas';
import { hubSignature, INSTAGRAM_DEAD_LETTER_TOPIC, INSTAGRAM_EVENTS_TOPIC } from '@parley/sources';
import { eventually, forEachBackend, readTestResponse } from '../helpers.js';
import { GRAPH_ANSWERS } from './fake-graph-api.js';
import { GRAPH_VERSION as VERSION, metaFixture, useMetaPlatform } from './meta-platform.js';

const fixture = (name: string) => metaFixture('instagram', name);

const VERIFY_TOKEN = 'verify-token-ig-42';
const ACCOUNT = '17841400000000001';
const PAGE_TOKEN = 'EAAG-page-token-linked-to-the-account';
const CHANNEL = channelId('instagram', ACCOUNT);
const CONVERSATION = conversationId(CHANNEL, 'IGSID-1');

forEachBackend('Providers > Instagram end to end (signed webhook → API, messages.send → fake Graph API → delivery state, echoes)', function (backend) {
  this.timeout(60_000);
  const platform = useMetaPlatform(backend, {
    provider: 'instagram',
    conversation: CONVERSATION,
    pages: { [ACCOUNT]: PAGE_TOKEN },
    profiles: { 'IGSID-1': { page: ACCOUNT, name: 'Ana Silva', username: 'ana.silva', profile_pic: 'https://cdn.example/ana.jpg' } },
    config: { verifyToken: VERIFY_TOKEN },
    retryDelaysMs: [10],
  });
  const { post, webhook, messages, rawCount } = platform;

  it('answers the handshake, refuses bad signatures before storing, routes signed events once and fetches the contact profile', async () => {
    const ok = await fetch(`${platform.runtime.url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=77`);
    expect([ok.status, await ok.text()]).to.deep.equal([200, '77']);
    expect((await readTestResponse(await fetch(`${platform.runtime.url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=nope-nope-nope&hub.challenge=77`))).status).to.equal(403);
    const config = (await post('client.config', {})).json;
    expect([config.sources.instagram, config.features.webhooks.includes('instagram')]).to.deep.equal([{ enabled: true }, true]);
    expect(config.topologies).to.include.members(['instagram-router', 'instagram-connector']);

    const connected = await post('channels.instagram.connect', { account_id: ACCOUNT, page_token: PAGE_TOKEN, name: 'Acme on Instagram' });
    expect([connected.status, connected.json.id, JSON.stringify(connected.json).includes(PAGE_TOKEN)]).to.deep.equal([201, CHANNEL, false]);

    const body = fixture('text-and-media.json');
    expect((await webhook(body, { 'x-hub-signature-256': hubSignature('another-app-secret-0123', body) })).json.code).to.equal('SOURCES_SIGNATURE_INVALID');
    expect((await webhook(Buffer.from(body.toString('utf8').replace('"instagram"', '"page"')))).json.code).to.equal('SOURCES_INVALID_PAYLOAD');
    expect(await rawCount(INSTAGRAM_EVENTS_TOPIC)).to.equal(0);

    expect((await webhook(body)).status).to.equal(200);
    expect((await webhook(body)).status).to.equal(200);
    await eventually(async () => (await messages()).length === 4, 20_000);
    expect((await messages()).map((m) => m.id).sort()).to.deep.equal(['aWdfZAG1text1', 'aWdfZAG1image1', 'aWdfZAG1story1', 'aWdfZAG1qr1'].map((mid) => messageId(CHANNEL, mid)).sort());
    const contact = async () => (await post('conversations.list', {})).json.data[0].metadata.contact;
    await eventually(async () => (await contact()).fetch_state === 'ok', 20_000);
    expect(await contact()).to.deep.include({ display_name: 'Ana Silva', avatar_url: 'https://cdn.example/ana.jpg' });
    expect(platform.graph.calls.filter((c) => c.method === 'GET').map((c) => c.path)).to.deep.equal([`/${VERSION}/IGSID-1`]);
  });

  it('sends a reply through /me/messages, shows DELIVERED with source.id, and stores its echo not twice while keeping an echo from the app', async () => {
    await post('channels.instagram.connect', { account_id: ACCOUNT, page_token: PAGE_TOKEN });
    expect((await webhook(fixture('text-and-media.json'))).status).to.equal(200);
    await eventually(async () => (await messages()).length === 4, 20_000);

    platform.graph.queue(GRAPH_ANSWERS.pageRateLimit);
    platform.graph.nextMessageIds('m_sent_by_parley');
    const sent = await post('messages.send', { conversation_id: CONVERSATION, message: { text: 'It ships tomorrow.' } });
    const find = async (id: string) => (await messages()).find((m) => m.id === id);
    await eventually(async () => (await find(sent.json.id))?.metadata?.source?.id === 'm_sent_by_parley', 20_000);
    expect((await find(sent.json.id)).delivery_state).to.equal('delivered');
    const sends = platform.graph.calls.filter((c) => c.method === 'POST');
    expect(sends.map((c) => [c.path, c.token, JSON.stringify(c.body)])).to.deep.equal(
      Array(2).fill([`/${VERSION}/me/messages`, PAGE_TOKEN, JSON.stringify({ recipient: { id: 'IGSID-1' }, message: { text: 'It ships tomorrow.' } })]),
    );

    // Meta echoes both the message Parley sent and one sent from the Instagram app.
    expect((await webhook(fixture('echoes.json'))).status).to.equal(200);
    await eventually(async () => (await messages()).length === 6, 20_000);
    const all = await messages();
    expect(all.filter((m) => m.sender.type === 'user').map((m) => m.id)).to.deep.equal([messageId(CHANNEL, 'm_sent_from_the_app')]);
    expect(all.some((m) => m.id === messageId(CHANNEL, 'm_sent_by_parley'))).to.equal(false);
  });

  it('dead-letters events of unknown or disconnected accounts', async () => {
    expect((await webhook(fixture('unknown-account.json'))).status).to.equal(200);
    const connected = await post('channels.instagram.connect', { account_id: ACCOUNT, page_token: PAGE_TOKEN });
    expect((await post('channels.instagram.disconnect', { channel_id: connected.json.id })).status).to.equal(204);
    expect((await webhook(fixture('text-and-media.json'))).status).to.equal(200);
    await eventually(async () => (await rawCount(INSTAGRAM_DEAD_LETTER_TOPIC)) === 5, 20_000);
    expect(await messages()).to.deep.equal([]);
  });
});
