import { expect } from 'chai';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startReceiver, startWebhooksPlatform, testMessage, type Receiver, type Received, type WebhooksPlatform } from './webhooks-fixture.js';

/** Verifies a request with the `standardwebhooks` package (an independent implementation); returns the payload. */
function verify(secret: string, r: Received): unknown {
  return new StandardWebhook(secret).verify(r.body, r.headers as Record<string, string>);
}

/** Message texts delivered per conversation, in arrival order (message.created only). */
function textsByConversation(received: Received[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of received) {
    if (r.status < 200 || r.status >= 300 || r.json?.type !== 'message.created') continue;
    const list = out.get(r.json.payload.conversation_id) ?? [];
    list.push(r.json.payload.message.content.text);
    out.set(r.json.payload.conversation_id, list);
  }
  return out;
}

describe('Webhooks > delivery (embedded log, local receiver)', function () {
  this.timeout(30_000);
  let platform: WebhooksPlatform | undefined;
  let receiver: Receiver;

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
    await receiver.close();
  });

  async function subscribe(body: Record<string, unknown> = {}): Promise<{ id: string; signing_secret: string }> {
    const res = await platform!.post('webhooks.subscribe', { url: receiver.url, ...body });
    expect(res.status, res.text).to.equal(200);
    return res.json;
  }

  it('sends message.created signed with Standard Webhooks headers and Airy envelope; the secret is shown once', async () => {
    platform = await startWebhooksPlatform();
    const { id, signing_secret } = await subscribe({ name: 'crm', events: ['message.created'] });
    expect(signing_secret).to.match(/^whsec_[A-Za-z0-9+/]+=*$/);
    const info = await platform.post('webhooks.info', { id });
    expect(info.json).to.include({ id, name: 'crm', url: receiver.url, status: 'subscribed', signed: true });
    expect(info.text).to.not.include(signing_secret.slice(6));
    expect((await platform.post('webhooks.list')).text).to.not.include(signing_secret.slice(6));

    const message = testMessage('alice', 1);
    await platform.appendMessages([message]);
    await receiver.until((r) => r.length >= 1);
    const [request] = receiver.received;
    const payload = verify(signing_secret, request!) as any;
    expect(payload.type).to.equal('message.created');
    expect(payload.timestamp).to.equal(message.sentAt);
    expect(payload.payload).to.deep.include({ conversation_id: message.conversationId, channel_id: message.channelId });
    expect(payload.payload.message).to.include({ id: message.id, source: 'custom.shop' });
    expect(payload.payload.message.content).to.deep.equal({ text: 'alice #1' });
    expect(request!.headers['webhook-id']).to.match(/^evt_[0-9a-f]{32}$/);
    expect(request!.headers['content-type']).to.equal('application/json');
    // Only the selected type: no conversation.updated although the conversation changed.
    expect(receiver.received.every((r) => r.json.type === 'message.created')).to.equal(true);
  });

  it('sends the other event types: message.updated, conversation.updated, channel.updated, tag.updated', async () => {
    platform = await startWebhooksPlatform();
    const { signing_secret } = await subscribe();
    const message = testMessage('bob', 1);
    await platform.appendMessages([message]);
    await platform.appendMessages([{ ...message, deliveryState: 'FAILED', updatedAt: message.sentAt + 5 }]);
    const tag = await platform.post('tags.create', { name: 'VIP', color: 'tag-red' });
    expect(tag.status, tag.text).to.equal(201);
    const types = ['message.created', 'message.updated', 'conversation.updated', 'tag.updated'];
    await receiver.until((r) => types.every((t) => r.some((x) => x.json?.type === t)));
    for (const r of receiver.received) verify(signing_secret, r);
    const conversation = receiver.received.find((r) => r.json.type === 'conversation.updated')!.json.payload;
    expect(conversation).to.include({ id: message.conversationId, channel_id: message.channelId });
    expect(receiver.received.find((r) => r.json.type === 'tag.updated')!.json.payload).to.deep.equal({ id: tag.json.id, name: 'VIP', color: 'tag-red' });
    const updated = receiver.received.find((r) => r.json.type === 'message.updated')!.json.payload;
    expect(updated.message.delivery_state).to.equal('failed');
  });

  it('sends contact.updated on contacts.create and .update (the contact as contacts.info renders it) and on .delete', async () => {
    platform = await startWebhooksPlatform();
    const { signing_secret } = await subscribe({ events: ['contact.updated'] });
    const created = await platform.post('contacts.create', { display_name: 'Ada Lovelace', via: { email: 'ada@example.com' } });
    expect(created.status, created.text).to.equal(201);
    const id: string = created.json.id;
    const updated = await platform.post('contacts.update', { id, title: 'Countess', address: { city: 'London' } });
    expect(updated.status, updated.text).to.equal(200);
    const contactEvents = (r: Received[]) => r.filter((x) => x.json?.type === 'contact.updated' && x.json.payload.id === id).map((x) => x.json.payload);
    await receiver.until((r) => contactEvents(r).some((p) => p.title === 'Countess'));
    const info = await platform.post('contacts.info', { id });
    expect(contactEvents(receiver.received).at(-1)).to.deep.equal(info.json);

    const deleted = await platform.post('contacts.delete', { id });
    expect(deleted.status, deleted.text).to.equal(204);
    await receiver.until((r) => contactEvents(r).some((p) => p.deleted === true));
    expect(contactEvents(receiver.received).at(-1)).to.deep.equal({ id, deleted: true });
    for (const r of receiver.received) {
      expect(r.json.type).to.equal('contact.updated');
      verify(signing_secret, r);
    }
  });

  it('events logged before a subscription are not sent to it', async () => {
    platform = await startWebhooksPlatform();
    // Logged before the subscription, whenever the publisher gets to it.
    await platform.appendMessages([testMessage('early', 1)]);
    await subscribe({ events: ['message.created'] });
    await platform.appendMessages([testMessage('late', 1)]);
    await receiver.until((r) => r.length >= 1);
    expect(receiver.received.map((r) => r.json.payload.message.content.text)).to.deep.equal(['late #1']);
  });

  it('a receiver failing N times then succeeding gets every event, in order per conversation, the same webhook-id on each retry', async () => {
    platform = await startWebhooksPlatform({ retrySchedule: [0.02, 0.02, 0.02, 0.02], concurrency: 4 });
    await subscribe({ events: ['message.created'] });
    // Every event fails its first two attempts.
    const tries = new Map<string, number>();
    receiver.answer(({ headers }) => {
      const id = String(headers['webhook-id']);
      const n = (tries.get(id) ?? 0) + 1;
      tries.set(id, n);
      return n <= 2 ? 500 : 200;
    });
    const contacts = ['c1', 'c2', 'c3'];
    const messages = Array.from({ length: 30 }, (_, i) => testMessage(contacts[i % 3]!, i));
    for (let i = 0; i < messages.length; i += 5) await platform.appendMessages(messages.slice(i, i + 5));
    await receiver.until((r) => r.filter((x) => x.status === 200).length >= 30);
    const byConversation = textsByConversation(receiver.received);
    for (const contact of contacts) {
      const expected = messages.filter((m) => m.senderId === contact).map((m) => JSON.parse(m.content).text);
      expect(byConversation.get(testMessage(contact, 0).conversationId)).to.deep.equal(expected);
    }
    // Three attempts per event, all with the same id.
    expect([...tries.values()].every((n) => n === 3)).to.equal(true);
    expect(tries.size).to.equal(30);
  });

  it('a conversation waiting for its retry does not hold up the others (no head-of-line blocking)', async () => {
    platform = await startWebhooksPlatform({ retrySchedule: [1] });
    await subscribe({ events: ['message.created'] });
    const blocked = testMessage('slow', 1).conversationId;
    let failedOnce = false;
    receiver.answer(({ json }) => {
      if (json.payload.conversation_id === blocked && !failedOnce) {
        failedOnce = true;
        return 503;
      }
      return 200;
    });
    await platform.appendMessages([testMessage('slow', 1), testMessage('slow', 2)]);
    await receiver.until((r) => r.length >= 1);
    await platform.appendMessages([testMessage('fast', 1), testMessage('fast', 2)]);
    await receiver.until((r) => r.filter((x) => x.status === 200).length >= 4);
    const order = receiver.delivered().map((r) => r.json.payload.message.content.text);
    // The other conversation went through while `slow #1` waited for its retry; slow kept its order.
    expect(order.indexOf('fast #2')).to.be.lessThan(order.indexOf('slow #1'));
    expect(order.indexOf('slow #1')).to.be.lessThan(order.indexOf('slow #2'));
  });

  it('honours Retry-After on 429 instead of the schedule', async () => {
    platform = await startWebhooksPlatform({ retrySchedule: [3600] });
    const { id } = await subscribe({ events: ['message.created'] });
    receiver.answer(({ count }) => (count === 0 ? { status: 429, headers: { 'retry-after': '1' } } : 200));
    await platform.appendMessages([testMessage('ra', 1)]);
    await receiver.until((r) => r.some((x) => x.status === 200), 10_000);
    // Attempt records are written off the delivery path: wait for the second.
    await until(async () => (await platform!.post('webhooks.deliveries', { id })).json.data.length === 2);
    const deliveries = (await platform.post('webhooks.deliveries', { id })).json.data;
    expect(deliveries.map((d: any) => [d.attempt, d.outcome, d.status])).to.deep.equal([
      [2, 'delivered', 200],
      [1, 'retrying', 429],
    ]);
  });

  it('410 Gone disables the subscription; its events go to the dead letters', async () => {
    platform = await startWebhooksPlatform();
    const { id } = await subscribe({ events: ['message.created'] });
    receiver.answer(() => 410);
    await platform.appendMessages([testMessage('gone', 1)]);
    await receiver.until((r) => r.length >= 1);
    await until(async () => (await platform!.post('webhooks.info', { id })).json.status === 'disabled');
    const info = (await platform.post('webhooks.info', { id })).json;
    expect(info.disabled_reason).to.include('410');
    await until(async () => (await platform!.post('webhooks.dead-letters', { id })).json.data.length === 1);
    // Later events are not sent to a disabled webhook.
    await platform.appendMessages([testMessage('gone', 2)]);
    const marker = await startReceiver();
    try {
      await platform.post('webhooks.subscribe', { url: marker.url, events: ['message.created'] });
      await platform.appendMessages([testMessage('gone', 3)]);
      await marker.until((r) => r.some((x) => x.json.payload.message.content.text === 'gone #3'));
    } finally {
      await marker.close();
    }
    expect(receiver.received.length).to.equal(1);
  });

  it('an endpoint that never answers ends in the dead letters after the last attempt, and webhooks.replay delivers them later', async () => {
    platform = await startWebhooksPlatform({ retrySchedule: [0.02], timeoutMs: 200 });
    const { id, signing_secret } = await subscribe({ events: ['message.created'] });
    receiver.answer(() => 'hang');
    await platform.appendMessages([testMessage('dl', 1), testMessage('dl', 2)]);
    await until(async () => (await platform!.post('webhooks.dead-letters', { id })).json.data.length === 2);
    const letters = (await platform.post('webhooks.dead-letters', { id })).json.data;
    expect(letters.map((l: any) => l.attempts)).to.deep.equal([2, 2]);
    expect(letters[0].last_error).to.include('no answer');
    const firstIds = new Set(receiver.received.map((r) => r.headers['webhook-id']));

    receiver.answer(() => 200);
    const replay = await platform.post('webhooks.replay', { id, dead_letters: true });
    expect(replay.json).to.deep.equal({ enqueued: 2 });
    await receiver.until((r) => r.filter((x) => x.status === 200).length === 2);
    const delivered = receiver.delivered();
    for (const r of delivered) verify(signing_secret, r);
    // The replayed deliveries keep the events' ids: receivers can dedupe.
    expect(new Set(delivered.map((r) => r.headers['webhook-id']))).to.deep.equal(firstIds);
    expect(delivered.map((r) => r.json.payload.message.content.text)).to.deep.equal(['dl #1', 'dl #2']);
    expect((await platform.post('webhooks.dead-letters', { id })).json.data).to.deep.equal([]);
  });

  it('webhooks.replay re-sends an offset or time range of the event log', async () => {
    platform = await startWebhooksPlatform();
    const { id } = await subscribe({ events: ['message.created'] });
    const since = new Date().toISOString();
    await platform.appendMessages([testMessage('rp', 1), testMessage('rp', 2)]);
    await receiver.until((r) => r.length >= 2);
    const replayed = await platform.post('webhooks.replay', { id, since });
    expect(replayed.json.enqueued).to.equal(2);
    await receiver.until((r) => r.length >= 4);
    expect(receiver.received.map((r) => r.json.payload.message.content.text)).to.deep.equal(['rp #1', 'rp #2', 'rp #1', 'rp #2']);
    expect(receiver.received[2]!.headers['webhook-id']).to.equal(receiver.received[0]!.headers['webhook-id']);
    const byOffset = await platform.post('webhooks.replay', { id, from_offset: 0 });
    expect(byOffset.json.enqueued).to.equal(2);
  });

  it('during a secret rotation deliveries carry both signatures, each verifiable', async () => {
    platform = await startWebhooksPlatform();
    const { id, signing_secret: oldSecret } = await subscribe({ events: ['message.created'] });
    const rotated = await platform.post('webhooks.rotate-secret', { id, grace_seconds: 3600 });
    expect(rotated.status, rotated.text).to.equal(200);
    const newSecret: string = rotated.json.signing_secret;
    expect(newSecret).to.not.equal(oldSecret);
    await platform.appendMessages([testMessage('rot', 1)]);
    await receiver.until((r) => r.length >= 1);
    const [request] = receiver.received;
    expect(String(request!.headers['webhook-signature']).split(' ')).to.have.length(2);
    verify(newSecret, request!);
    verify(oldSecret, request!);
    expect(() => verify('whsec_' + Buffer.alloc(32, 7).toString('base64'), request!)).to.throw();
  });

  it('custom headers are sent; update keeps the fields it is not given; unsubscribe stops deliveries', async () => {
    platform = await startWebhooksPlatform();
    const { id } = await subscribe({ events: ['message.created'], headers: { 'X-Api-Key': 'k1' } });
    const updated = await platform.post('webhooks.update', { id, name: 'renamed' });
    expect(updated.json).to.deep.include({ name: 'renamed', events: ['message.created'], headers: { 'X-Api-Key': 'k1' } });
    await platform.appendMessages([testMessage('hdr', 1)]);
    await receiver.until((r) => r.length >= 1);
    expect(receiver.received[0]!.headers['x-api-key']).to.equal('k1');
    expect((await platform.post('webhooks.unsubscribe', { id })).json.status).to.equal('unsubscribed');
  });
});

describe('Webhooks > API validation', function () {
  this.timeout(20_000);
  let platform: WebhooksPlatform;
  before(async () => {
    platform = await startWebhooksPlatform({ allowPrivateNetworks: false });
  });
  after(() => platform.stop());

  const refused = [
    'http://127.0.0.1:9/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[::ffff:192.168.0.1]/hook',
    'ftp://example.com/hook',
    'not a url',
    'http://user:pw@example.com/hook',
  ];
  for (const url of refused) {
    it(`refuses ${url} with 400 RUNTIME_INVALID_REQUEST, storing nothing`, async () => {
      const res = await platform.post('webhooks.subscribe', { url });
      expect(res.status, res.text).to.equal(400);
      expect(res.json.code).to.equal('RUNTIME_INVALID_REQUEST');
      expect((await platform.post('webhooks.list')).json.data).to.deep.equal([]);
    });
  }

  it('refuses reserved headers, unknown event types and unknown ids', async () => {
    expect((await platform.post('webhooks.subscribe', { url: 'http://93.184.215.14/x', headers: { 'webhook-id': 'x' } })).status).to.equal(400);
    expect((await platform.post('webhooks.subscribe', { url: 'http://93.184.215.14/x', events: ['message.deleted'] })).status).to.equal(400);
    const missing = await platform.post('webhooks.info', { id: 'nope' });
    expect(missing.status).to.equal(404);
    expect(missing.json.code).to.equal('RUNTIME_NOT_FOUND');
    expect((await platform.post('webhooks.replay', { id: 'nope' })).status).to.equal(400);
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
