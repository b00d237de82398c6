import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeConfigInput } from '../../src/index.js';
import { killChild, startChildPlatform, tempDir, type ChildPlatform } from '../helpers.js';
import { describeIfRedis, redisUrl } from './redis-test-helpers.js';
import { ownRedis } from './redis-server-fixture.js';
import { startReceiver, type Receiver } from './webhooks-fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));
type WebhooksSection = NonNullable<RuntimeConfigInput['webhooks']>;

function startChild(dataDir: string, webhooks: WebhooksSection): Promise<ChildPlatform> {
  return startChildPlatform(path.join(here, 'fixtures/run-webhooks-platform.ts'), [dataDir, JSON.stringify(webhooks)]);
}

const killed = killChild;

async function post(url: string, route: string, token: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

/** Message texts delivered (2xx) per conversation, first deliveries only, in arrival order. */
function firstDeliveries(receiver: Receiver): Set<string> {
  return new Set(receiver.delivered().map((r) => r.json.payload.message.content.text as string));
}

/**
 * Runs writers sending numbered messages through the Source API; `disrupt` runs once `atDelivered`
 * events arrived; the writers go on for a while after. Returns the texts of every acknowledged message.
 */
async function ingestAcross(
  platform: { url: string; sourceToken: () => string },
  receiver: Receiver,
  atDelivered: number,
  disrupt: () => Promise<void>,
): Promise<Set<string>> {
  const acknowledged = new Set<string>();
  let sequence = 0;
  let stop = false;
  const writer = async (): Promise<void> => {
    while (!stop) {
      const n = sequence++;
      const text = `m${n}`;
      const message = { source_message_id: `m-${n}`, source_conversation_id: `contact-${n % 5}`, source_channel_id: 'web', sent_at: 1_700_000_000_000 + n, content: { text }, from_contact: true };
      try {
        const res = await fetch(`${platform.url}/sources.webhook`, {
          method: 'POST',
          headers: { authorization: `Bearer ${platform.sourceToken()}`, 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [message] }),
        });
        if (res.ok) acknowledged.add(text);
        await res.arrayBuffer();
      } catch {
        // The platform is down: this message was not acknowledged.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const writers = [writer(), writer()];
  await receiver.until(() => firstDeliveries(receiver).size >= atDelivered, 30_000);
  await disrupt();
  const after = acknowledged.size;
  await until(() => acknowledged.size >= after + 30, 30_000);
  stop = true;
  await Promise.all(writers);
  return acknowledged;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Creates a custom source and channel, subscribes the receiver; returns the source token. */
async function setUp(url: string, dataDir: string, receiver: Receiver): Promise<string> {
  const system = fs.readFileSync(path.join(dataDir, 'auth', 'system-token'), 'utf8').trim();
  const created = await post(url, 'sources.create', system, { id: 'crash-shop' });
  expect(created.status, JSON.stringify(created.body)).to.be.oneOf([200, 201]);
  expect((await post(url, 'sources.channels.create', system, { source_id: 'crash-shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);
  const subscribed = await post(url, 'webhooks.subscribe', system, { url: receiver.url, events: ['message.created'] });
  expect(subscribed.status, JSON.stringify(subscribed.body)).to.equal(200);
  return created.body.token;
}

function crashSuite(title: string, webhooks: () => WebhooksSection): void {
  describe(title, function () {
    this.timeout(120_000);

    it('SIGKILL of the delivering runtime mid-stream, then restart: every acknowledged message is delivered at least once', async () => {
      const receiver = await startReceiver();
      const dataDir = tempDir('webhooks-crash');
      const config = { allowPrivateNetworks: true, retrySchedule: [0.05, 0.05, 0.05, 0.05, 0.05], ...webhooks() };
      let running = await startChild(dataDir, config);
      try {
        const platform = { url: running.url, sourceToken: () => token };
        const token = await setUp(running.url, dataDir, receiver);
        const acknowledged = await ingestAcross(platform, receiver, 20, async () => {
          await killed(running.child);
          running = await startChild(dataDir, config);
          platform.url = running.url;
        });
        await receiver.until(() => [...acknowledged].every((t) => firstDeliveries(receiver).has(t)), 30_000);
        expect(acknowledged.size).to.be.greaterThan(50);
      } finally {
        await killed(running.child);
        await receiver.close();
      }
    });
  });
}

crashSuite('Webhooks > crash > embedded queue', () => ({ queue: { backend: 'embedded' } }));

describeIfRedis('Webhooks > crash > Redis queue', () => {
  crashSuite('SIGKILL', () => ({ queue: { backend: 'redis', url: redisUrl(), keyPrefix: `test:${randomBytes(6).toString('hex')}:` } }));

  it('Redis restarted mid-run (AOF on): every acknowledged message is delivered', async function () {
    this.timeout(120_000);
    const redis = await ownRedis();
    await redis.start();
    const receiver = await startReceiver();
    const dataDir = tempDir('webhooks-redis-restart');
    const running = await startChild(dataDir, { allowPrivateNetworks: true, retrySchedule: [0.05, 0.05, 0.05], queue: { backend: 'redis', url: redis.url } });
    try {
      const token = await setUp(running.url, dataDir, receiver);
      const acknowledged = await ingestAcross({ url: running.url, sourceToken: () => token }, receiver, 20, async () => {
        await redis.stop();
        await redis.start();
      });
      await receiver.until(() => [...acknowledged].every((t) => firstDeliveries(receiver).has(t)), 30_000);
    } finally {
      await killed(running.child);
      await receiver.close();
      await redis.stop();
    }
  });
});
