import { expect } from 'chai';
import { channelId, conversationId } from '@parley/schemas';
import { hubSignature, WHATSAPP_DEAD_LETTER_TOPIC, WHATSAPP_EVENTS_TOPIC, whatsappMessageId } from '@parley/sources';
import { eventually, forEachBackend } from '../helpers.js';
import { GRAPH_ANSWERS } from './fake-graph-api.js';
import { GRAPH_VERSION as VERSION, META_APP_SECRET as APP_SECRET, metaFixture, useMetaPlatform } from './meta-platform.js';

const fixture = (name: string) => metaFixture('whatsapp', name);
const fixtureText = (name: string) => fixture(name).toString('utf8');

const VERIFY_TOKEN = 'verify-token-wa-42';
const PHONE = '106540352242922';
const TOKEN = 'EAAG-system-user-token-of-the-business';
const CHANNEL = channelId('whatsapp', PHONE);
const CONVERSATION = conversationId(CHANNEL, '16505551234');

forEachBackend('Providers > WhatsApp Cloud API end to end (signed webhook → API, messages.send → fake Cloud API → statuses, mark-read)', function (backend) {
  this.timeout(60_000);
  const platform = useMetaPlatform(backend, {
    provider: 'whatsapp',
    conversation: CONVERSATION,
    pages: { [PHONE]: TOKEN },
    config: { verifyToken: VERIFY_TOKEN },
    retryDelaysMs: [10],
  });
  const { post, webhook, messages, rawCount } = platform;
  const find = async (id: string) => (await messages()).find((m) => m.id === id);

  it('answers the handshake, refuses bad signatures before storing, routes every message kind once with the contact\'s name', async () => {
    const ok = await fetch(`${platform.runtime.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=4242`);
    expect([ok.status, await ok.text()]).to.deep.equal([200, '4242']);
    const config = (await post('client.config', {})).json;
    expect([config.sources.whatsapp, config.features.webhooks.includes('whatsapp')]).to.deep.equal([{ enabled: true }, true]);
    expect(config.topologies).to.include.members(['whatsapp-router', 'whatsapp-connector']);
    const connected = await post('channels.whatsapp.connect', { phone_number_id: PHONE, token: TOKEN, name: 'Acme support' });
    expect([connected.status, connected.json.id, JSON.stringify(connected.json).includes(TOKEN)]).to.deep.equal([201, CHANNEL, false]);

    const body = fixture('messages.json');
    const sha1Only = await webhook(body, { 'x-hub-signature': hubSignature(APP_SECRET, body, 'sha1') });
    expect([sha1Only.status, sha1Only.json.code]).to.deep.equal([401, 'SOURCES_SIGNATURE_INVALID']);
    expect(await rawCount(WHATSAPP_EVENTS_TOPIC)).to.equal(0);
    expect((await webhook(body)).status).to.equal(200);
    expect((await webhook(body)).status).to.equal(200);
    await eventually(async () => (await messages()).length === 6, 20_000);
    // The contact's name is conversation metadata, on a topic of its own: it may arrive after the
    // messages (seen on Kafka), so the test waits for it rather than reading it once.
    const listed = async () => (await post('conversations.list', {})).json.data[0];
    await eventually(async () => (await listed())?.metadata?.contact?.display_name === 'Sheena Nelson', 20_000);
    const conversation = await listed();
    expect([conversation.id, conversation.metadata.contact.display_name]).to.deep.equal([CONVERSATION, 'Sheena Nelson']);
    expect((await find(whatsappMessageId('wamid.LOCATION1'))).content.location.name).to.equal('Philz Coffee');
  });

  it('sends a reply to the Cloud API, applies its statuses (delivered, read; failed → FAILED), retries throughput limits, and marks read when an agent reads', async () => {
    await post('channels.whatsapp.connect', { phone_number_id: PHONE, token: TOKEN });
    expect((await webhook(fixture('messages.json'))).status).to.equal(200);
    await eventually(async () => (await messages()).length === 6, 20_000);

    platform.graph.queue(GRAPH_ANSWERS.whatsappThroughput);
    platform.graph.nextMessageIds('wamid.SENT_BY_PARLEY', 'wamid.FAILED_BY_PARLEY');
    const first = await post('messages.send', { conversation_id: CONVERSATION, message: { type: 'text', text: { body: 'Yes, in blue.' } } });
    await eventually(async () => (await find(first.json.id))?.metadata?.source?.id === 'wamid.SENT_BY_PARLEY', 20_000);
    expect((await find(first.json.id)).delivery_state).to.equal('delivered');
    const second = await post('messages.send', { conversation_id: CONVERSATION, message: { type: 'text', text: { body: 'Anything else?' } } });
    await eventually(async () => (await find(second.json.id))?.metadata?.source?.id === 'wamid.FAILED_BY_PARLEY', 20_000);
    const sends = platform.graph.calls.filter((c) => c.method === 'POST' && c.body.status === undefined);
    expect(sends.map((c) => [c.path, c.token, c.body.to, c.body.messaging_product, c.body.recipient_type, c.body.text.body])).to.deep.equal([
      [`/${VERSION}/${PHONE}/messages`, TOKEN, '16505551234', 'whatsapp', 'individual', 'Yes, in blue.'],
      [`/${VERSION}/${PHONE}/messages`, TOKEN, '16505551234', 'whatsapp', 'individual', 'Yes, in blue.'],
      [`/${VERSION}/${PHONE}/messages`, TOKEN, '16505551234', 'whatsapp', 'individual', 'Anything else?'],
    ]);

    // WhatsApp reports on both: the first delivered and read, the second failed (24-hour window).
    const statuses = Buffer.from(fixtureText('statuses.json'));
    expect((await webhook(statuses)).status).to.equal(200);
    await eventually(async () => (await find(first.json.id))?.metadata?.source?.delivery_state === 'read', 20_000);
    await eventually(async () => (await find(second.json.id))?.delivery_state === 'failed', 20_000);
    expect((await find(second.json.id)).metadata.error).to.equal('Re-engagement message');
    await eventually(async () => (await rawCount(WHATSAPP_DEAD_LETTER_TOPIC)) === 1, 20_000);

    // An agent reads the conversation: WhatsApp gets the read mark for the latest contact message.
    expect((await post('conversations.mark-read', { conversation_id: CONVERSATION })).status).to.equal(204);
    await eventually(() => platform.graph.calls.some((c) => c.body?.status === 'read'), 20_000);
    expect(platform.graph.calls.filter((c) => c.body?.status === 'read').map((c) => [c.path, c.token, c.body])).to.deep.equal([
      [`/${VERSION}/${PHONE}/messages`, TOKEN, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.TEMPLATEBUTTON1' }],
    ]);
  });

  it('reports the 24-hour window refusal of the Cloud API as FAILED, and dead-letters unknown numbers', async () => {
    await post('channels.whatsapp.connect', { phone_number_id: PHONE, token: TOKEN });
    expect((await webhook(fixture('messages.json'))).status).to.equal(200);
    await eventually(async () => (await messages()).length === 6, 20_000);
    platform.graph.queue(GRAPH_ANSWERS.whatsappReengagement);
    const late = await post('messages.send', { conversation_id: CONVERSATION, message: { type: 'text', text: { body: 'Still there?' } } });
    await eventually(async () => (await find(late.json.id))?.delivery_state === 'failed', 20_000);
    await eventually(async () => (await find(late.json.id))?.metadata?.error === '(#131047) Re-engagement message', 10_000);

    // Its message and its contact name: two dead letters, nothing routed.
    expect((await webhook(fixture('unknown-number.json'))).status).to.equal(200);
    await eventually(async () => (await rawCount(WHATSAPP_DEAD_LETTER_TOPIC)) === 2, 20_000);
    const letters = await platform.runtime.log.read({ topic: WHATSAPP_DEAD_LETTER_TOPIC, partition: 0 }, 0);
    expect(letters.map((l) => JSON.parse(l.value!.toString('utf8')).reason)).to.deep.equal(Array(2).fill('no WhatsApp channel for phone number id 999999999999999'));
  });
});
