import { expect } from 'chai';
import WebSocket from 'ws';
import { describeIfKafka, eventually } from '../helpers.js';
import { startReceiver, type Receiver } from '../webhooks/webhooks-fixture.js';
import { call, kill, sharedConfig, startInstance, terminate, type Instance } from './instances.js';

/** A Source API message from a contact (sources.webhook). */
function contactMessage(n: number, contact: string): Record<string, unknown> {
  return { source_message_id: `m-${contact}-${n}`, source_conversation_id: contact, source_channel_id: 'web', sent_at: 1_700_000_000_000 + n, content: { text: `${contact} #${n}` }, from_contact: true };
}

/**
 * Two runtime instances of one platform on the real broker (and Redis for the webhook queue),
 * in child processes: any request to either, read-your-writes across them, websockets and
 * webhooks fed once. docs/scaling.md.
 */
describeIfKafka('Runtime > many instances on Kafka', function () {
  this.timeout(240_000);
  const config = sharedConfig();
  const token = (config.auth as { systemToken: string }).systemToken;
  let a: Instance;
  let b: Instance;
  let sourceToken: string;
  let receiver: Receiver;

  before(async () => {
    receiver = await startReceiver();
    // One at a time: the second joins the groups the first created.
    a = await startInstance(config);
    b = await startInstance(config);
    const created = await call(a.url, 'sources.create', token, { id: 'multi-shop' });
    expect(created.status, JSON.stringify(created.body)).to.be.oneOf([200, 201]);
    sourceToken = created.body.token;
    expect((await call(a.url, 'sources.channels.create', token, { source_id: 'multi-shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);
  });
  after(async () => {
    await Promise.all([a, b].filter((i) => i !== undefined).map(kill));
    await receiver?.close();
  });

  it('shows a write answered by one instance to a read on the other at once, both ways', async () => {
    for (let i = 0; i < 6; i += 1) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      const created = await call(writer.url, 'tags.create', token, { name: `tag-${i}`, color: 'tag-blue' });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const listed = await call(reader.url, 'tags.list', token);
      expect(listed.status).to.equal(200);
      expect(listed.body.data.find((t: { id: string }) => t.id === created.body.id)?.name).to.equal(`tag-${i}`);
    }
    // A conversation comes in through a source on A; once B lists it, a message sent on B is in A's list at once.
    const ingested = await call(a.url, 'sources.webhook', sourceToken, { messages: [contactMessage(1, 'alice')] });
    expect(ingested.status, JSON.stringify(ingested.body)).to.equal(200);
    const conversationId: string = ingested.body.messages[0].conversation_id;
    await eventually(async () => (await call(b.url, 'conversations.info', token, { conversation_id: conversationId })).status === 200, 60_000);
    const sent = await call(b.url, 'messages.send', token, { conversation_id: conversationId, message: { text: 'hello from B' } });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(200);
    const listed = await call(a.url, 'messages.list', token, { conversation_id: conversationId, page_size: 50 });
    expect(listed.body.data.map((m: { id: string }) => m.id)).to.include(sent.body.id);
    const tagged = await call(a.url, 'tags.create', token, { name: 'vip', color: 'tag-red' });
    expect((await call(a.url, 'conversations.tag', token, { conversation_id: conversationId, tag_id: tagged.body.id })).status).to.equal(204);
    const byTag = await call(b.url, 'conversations.list', token, { filters: { tag_ids: [tagged.body.id] } });
    expect(byTag.body.data.map((c: { id: string }) => c.id)).to.deep.equal([conversationId]);
  });

  it('feeds a websocket on one instance the events of writes on the other', async () => {
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/ws.communication`, { headers: { authorization: `Bearer ${token}` } });
    const frames: any[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    try {
      await eventually(() => frames.some((f) => f.type === 'ready'), 20_000);
      const ingested = await call(a.url, 'sources.webhook', sourceToken, { messages: [contactMessage(2, 'bob')] });
      expect(ingested.status).to.equal(200);
      const messageId: string = ingested.body.messages[0].message_id;
      await eventually(() => frames.some((f) => f.type === 'event' && f.event.type === 'message.created' && f.event.payload.message.id === messageId), 60_000);
    } finally {
      ws.close();
    }
  });

  it('delivers each webhook event once, whichever instance published it', async () => {
    const subscribed = await call(b.url, 'webhooks.subscribe', token, { url: receiver.url, events: ['message.created'] });
    expect(subscribed.status, JSON.stringify(subscribed.body)).to.equal(200);
    // One conversation: one delivery lane, in order; the last message marks the end of the batch.
    const ids: string[] = [];
    for (let n = 0; n < 8; n += 1) {
      const via = n % 2 === 0 ? a : b;
      const ingested = await call(via.url, 'sources.webhook', sourceToken, { messages: [contactMessage(100 + n, 'carol')] });
      expect(ingested.status).to.equal(200);
      ids.push(ingested.body.messages[0].message_id);
    }
    const deliveredIds = () => receiver.delivered().map((r) => r.json.payload.message.id as string);
    await receiver.until(() => deliveredIds().includes(ids.at(-1)!), 60_000);
    expect([...deliveredIds()].sort()).to.deep.equal([...ids].sort());
    expect(new Set(receiver.delivered().map((r) => r.headers['webhook-id'])).size).to.equal(ids.length);
  });

  it('shows a chat plugin visitor on one instance the reply an agent sent through the other at once', async () => {
    const connected = await call(a.url, 'channels.chatplugin.connect', token, { name: 'Multi shop chat' });
    expect(connected.status, JSON.stringify(connected.body)).to.equal(201);
    const session = await call(b.url, 'chatplugin.authenticate', '', { channel_id: connected.body.id });
    expect(session.status, JSON.stringify(session.body)).to.equal(200);
    const chatToken: string = session.body.token;
    const asked = await call(b.url, 'chatplugin.send', chatToken, { message: { text: 'Is it in stock?' } });
    expect(asked.status, JSON.stringify(asked.body)).to.equal(200);
    // The conversation exists once the router has run; the agent answers through A.
    let reply: { status: number; body: any } | undefined;
    await eventually(async () => {
      reply = await call(a.url, 'messages.send', token, { conversation_id: session.body.conversation_id, message: { text: 'Yes, two left' } });
      return reply.status === 200;
    }, 60_000);
    for (const visitorSide of [b, a]) {
      const history = await call(visitorSide.url, 'chatplugin.messages', chatToken, {});
      expect(history.status, JSON.stringify(history.body)).to.equal(200);
      expect(history.body.messages.map((m: { id: string }) => m.id)).to.include.members([asked.body.id, reply!.body.id]);
    }
  });

  it('drains on SIGTERM: the other instance takes over and answers every request', async () => {
    expect(await terminate(a)).to.equal(0);
    const created = await call(b.url, 'tags.create', token, { name: 'after-drain', color: 'tag-green' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const ingested = await call(b.url, 'sources.webhook', sourceToken, { messages: [contactMessage(3, 'dave')] });
    expect(ingested.status).to.equal(200);
    await eventually(async () => (await call(b.url, 'conversations.info', token, { conversation_id: ingested.body.messages[0].conversation_id })).status === 200, 60_000);
  });
});
