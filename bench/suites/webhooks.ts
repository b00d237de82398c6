/**
 * Outbound webhooks: sustained delivery rate to a local receiver on each delivery queue, and the
 * latency from a message's ingestion (Source API) to its webhook.
 *
 * - `webhooks.embedded.delivery`, `webhooks.redis.delivery`: 20,000 Message records over 1,000
 *   conversations appended to the messages topic in 1,000-record batches (as routers write them);
 *   the clock runs from the first append until the receiver (a node:http server in this process,
 *   answering 200 at once) has every `message.created`. One subscription, default settings
 *   (8 requests in flight per webhook). The Redis figure uses `REDIS_URL`, else starts Redis with
 *   scripts/redis.sh in a private services directory and stops it afterwards.
 * - `webhooks.embedded.latency.p99`: 300 messages sent one at a time through `sources.webhook`;
 *   each latency is from the request until the receiver got its `message.created`.
 * - `ceiling.webhooks.receiver`: the receiver alone, in the same run: 20,000 POSTs of a
 *   message.created body with the Standard Webhooks headers from a node:http keep-alive agent
 *   (what the delivery worker uses), 8 in flight, no platform. What this process can deliver at
 *   most on this machine at the default concurrency.
 *
 * Each rate's note gives the CPU time (user + system) the process spent per event while it was
 * measured: less sensitive than the rate to other load on a shared machine.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPlatform, type Runtime, type RuntimeConfigInput } from '@parley/runtime';
import { COMMUNICATION_TOPICS, channelId, conversationId, type Message } from '@parley/schemas';
import { modelSerdes } from '@parley/communication';
import { sourceMessage } from '../lib/http-load.js';
import { percentile } from '../lib/measure.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';

const DELIVERY_EVENTS = 20_000;
const CONVERSATIONS = 1000;
const APPEND_BATCH = 1000;
const LATENCY_SAMPLES = 300;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Receiver {
  url: string;
  /** Resolves when the message with this text arrived. */
  arrival(text: string): Promise<number>;
  count(): number;
  untilCount(n: number): Promise<void>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  let count = 0;
  const waiting = new Map<string, (t: number) => void>();
  let countWaiter: { n: number; resolve: () => void } | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200).end();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; payload: { message: { content: { text: string } } } };
      if (event.type !== 'message.created') return;
      count++;
      waiting.get(event.payload.message.content.text)?.(performance.now());
      if (countWaiter !== undefined && count >= countWaiter.n) countWaiter.resolve();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrival: (text) => new Promise((resolve) => waiting.set(text, resolve)),
    count: () => count,
    untilCount: (n) => (count >= n ? Promise.resolve() : new Promise((resolve) => (countWaiter = { n, resolve }))),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A rate and the CPU time this process spent per event meanwhile (user + system, every thread; ms). */
interface Measured {
  rate: number;
  cpuMsPerEvent: number;
}

function cpuMsPerEvent(since: NodeJS.CpuUsage, events: number): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000 / events;
}

async function receiverCeiling(): Promise<Measured> {
  const receiver = await startReceiver();
  const agent = new http.Agent({ keepAlive: true });
  try {
    const target = new URL(receiver.url);
    const [message] = messages(1);
    const body = Buffer.from(JSON.stringify({ type: 'message.created', payload: { conversation_id: message!.conversationId, channel_id: message!.channelId, message: { id: message!.id, content: { text: 'message 0' } } }, timestamp: message!.sentAt }));
    const headers = { 'content-type': 'application/json', 'content-length': String(body.length), 'webhook-id': `evt_${'0'.repeat(32)}`, 'webhook-timestamp': '1700000000', 'webhook-signature': `v1,${'A'.repeat(43)}=` };
    const send = () =>
      new Promise<void>((resolve, reject) => {
        const request = http.request(target, { method: 'POST', agent, headers });
        request.on('error', reject);
        request.on('response', (response) => response.resume().on('end', resolve));
        request.end(body);
      });
    const start = performance.now();
    const cpu = process.cpuUsage();
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next++ < DELIVERY_EVENTS) await send();
    }));
    await receiver.untilCount(DELIVERY_EVENTS);
    return { rate: Math.round(DELIVERY_EVENTS / ((performance.now() - start) / 1000)), cpuMsPerEvent: cpuMsPerEvent(cpu, DELIVERY_EVENTS) };
  } finally {
    agent.destroy();
    await receiver.close();
  }
}

async function withWebhooksPlatform<T>(label: string, webhooks: RuntimeConfigInput['webhooks'], body: (runtime: Runtime, receiver: Receiver, system: string) => Promise<T>): Promise<T> {
  return withTempDir(label, async (dir) => {
    const receiver = await startReceiver();
    const runtime = createPlatform({ dataDir: dir, http: { host: '127.0.0.1', port: 0 }, logLevel: 'error', webhooks: { allowPrivateNetworks: true, ...webhooks } });
    await runtime.start();
    try {
      const system = fs.readFileSync(path.join(dir, 'auth', 'system-token'), 'utf8').trim();
      const subscribed = await post(runtime.url, 'webhooks.subscribe', system, { url: receiver.url, events: ['message.created'] });
      if (subscribed.status !== 200) throw new Error(`webhooks.subscribe answered ${subscribed.status}`);
      return await body(runtime, receiver, system);
    } finally {
      await runtime.stop();
      await receiver.close();
    }
  });
}

async function post(url: string, route: string, token: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

function messages(count: number): Message[] {
  const channel = channelId('custom.bench', 'web');
  return Array.from({ length: count }, (_, i) => {
    const conversation = conversationId(channel, `contact-${i % CONVERSATIONS}`);
    return {
      id: `${conversation.slice(0, 24)}${String(i).padStart(12, '0')}`,
      headers: null,
      senderType: 'CONTACT',
      senderId: `contact-${i % CONVERSATIONS}`,
      deliveryState: 'DELIVERED',
      conversationId: conversation,
      channelId: channel,
      source: 'custom.bench',
      sourceRecipientId: null,
      content: JSON.stringify({ text: `message ${i}` }),
      sentAt: 1_700_000_000_000 + i,
      updatedAt: null,
    } satisfies Message;
  });
}

async function deliveryRate(label: string, webhooks: RuntimeConfigInput['webhooks']): Promise<Measured> {
  return withWebhooksPlatform(label, webhooks, async (runtime, receiver) => {
    const serdes = modelSerdes();
    const records = messages(DELIVERY_EVENTS).map((m) => ({ key: Buffer.from(m.id), value: serdes.message.serialize(m) }));
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < records.length; i += APPEND_BATCH) await runtime.log.append(COMMUNICATION_TOPICS.messages.name, records.slice(i, i + APPEND_BATCH));
    await receiver.untilCount(DELIVERY_EVENTS);
    return { rate: Math.round(DELIVERY_EVENTS / ((performance.now() - start) / 1000)), cpuMsPerEvent: cpuMsPerEvent(cpu, DELIVERY_EVENTS) };
  });
}

async function latency(): Promise<number[]> {
  return withWebhooksPlatform('webhooks-latency', {}, async (runtime, receiver, system) => {
    const created = await post(runtime.url, 'sources.create', system, { id: 'bench-shop' });
    await post(runtime.url, 'sources.channels.create', system, { source_id: 'bench-shop', source_channel_id: 'web' });
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES + 20; i++) {
      const message = sourceMessage(i, 100);
      const arrived = receiver.arrival(message.content.text);
      const start = performance.now();
      const response = await post(runtime.url, 'sources.webhook', created.body.token, { messages: [message] });
      if (response.status !== 200) throw new Error(`sources.webhook answered ${response.status}`);
      const end = await arrived;
      if (i >= 20) samples.push(end - start); // the first 20 warm up
    }
    return samples;
  });
}

/** REDIS_URL, or a Redis started for this run (stopped by the returned function). */
function redisForBench(): { url: string; stop: () => void } {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: () => undefined };
  const env = { ...process.env, PARLEY_SERVICES_DIR: path.join(root, '.services', `bench-run-${process.pid}`) };
  const out = execFileSync('bash', ['scripts/redis.sh', 'start'], { cwd: root, env, encoding: 'utf8' });
  const url = /^REDIS_URL=(\S+)$/m.exec(out)?.[1];
  if (url === undefined) throw new Error(`scripts/redis.sh start printed no REDIS_URL: ${out}`);
  return {
    url,
    stop: () => {
      execFileSync('bash', ['scripts/redis.sh', 'stop'], { cwd: root, env, stdio: 'ignore' });
      fs.rmSync(env.PARLEY_SERVICES_DIR, { recursive: true, force: true });
    },
  };
}

export const webhooks: BenchSuite = {
  name: 'webhooks',
  async run(): Promise<BenchResult[]> {
    const workload = `${DELIVERY_EVENTS.toLocaleString('en-US')} message.created over ${CONVERSATIONS} conversations, appended in ${APPEND_BATCH}-record batches, until a local receiver (same process) has them all; default concurrency 8 per webhook`;
    const embedded = await deliveryRate('webhooks-embedded', { queue: { backend: 'embedded' } });
    const redis = redisForBench();
    let redisRate: Measured;
    try {
      redisRate = await deliveryRate('webhooks-redis', { queue: { backend: 'redis', url: redis.url, keyPrefix: `bench:${process.pid}:` } });
    } finally {
      redis.stop();
    }
    const samples = await latency();
    const ceiling = await receiverCeiling();
    const cpu = (m: Measured, what = 'pipeline, publisher, delivery, receiver') => `CPU ${m.cpuMsPerEvent.toFixed(3)} ms per event (this process: ${what})`;
    return [
      { name: 'webhooks.embedded.delivery', value: embedded.rate, unit: 'events/s', note: `${workload}; queue on the embedded log; ${cpu(embedded)}` },
      { name: 'webhooks.redis.delivery', value: redisRate.rate, unit: 'events/s', note: `${workload}; queue on Redis 7 (same machine); ${cpu(redisRate)}` },
      { name: 'ceiling.webhooks.receiver', value: ceiling.rate, unit: 'events/s', note: `the receiver alone: ${DELIVERY_EVENTS.toLocaleString('en-US')} POSTs of a message.created body with the Standard Webhooks headers from a node:http keep-alive agent, 8 in flight, no platform; ${cpu(ceiling, 'sender and receiver')}; delivery figures at ${Math.round((embedded.rate / ceiling.rate) * 100)}% (embedded) and ${Math.round((redisRate.rate / ceiling.rate) * 100)}% (Redis) of it` },
      { name: 'webhooks.embedded.latency.p99', value: Number(percentile(samples, 99).toFixed(2)), unit: 'ms', note: `sources.webhook request → webhook received, ${LATENCY_SAMPLES} sequential messages; p50 ${percentile(samples, 50).toFixed(2)} ms` },
    ];
  },
};
