/**
 * Fixtures of the webhooks tests: a platform with webhooks (loopback targets allowed), seeded
 * communication records, and a local receiver server whose answers a test scripts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { COMMUNICATION_TOPICS, channelId, conversationId, type Channel, type Message } from '@parley/schemas';
import { modelSerdes } from '@parley/communication';
import { createPlatform, type Runtime, type RuntimeConfigInput, type RuntimeOptions } from '../../src/index.js';
import { readTestResponse, tempDir, type LogConfig, type TestResponse } from '../helpers.js';

export interface WebhooksPlatform {
  runtime: Runtime;
  dataDir: string;
  lines: string[];
  post(route: string, body?: unknown): Promise<TestResponse>;
  /** Appends messages to the model topics, as a source's router would. */
  appendMessages(messages: Message[]): Promise<void>;
  /** Appends a channel record. */
  appendChannel(channel: Channel): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebhooksPlatform(webhooks: NonNullable<RuntimeConfigInput['webhooks']> = {}, options: { dataDir?: string; log?: LogConfig; embeddedLogFs?: RuntimeOptions['embeddedLogFs'] } = {}): Promise<WebhooksPlatform> {
  const lines: string[] = [];
  const dataDir = options.dataDir ?? tempDir('webhooks');
  const runtime = createPlatform(
    { dataDir, log: options.log ?? { backend: 'embedded' }, http: { port: 0 }, webhooks: { allowPrivateNetworks: true, ...webhooks } },
    { logging: { level: 'warn', write: (line) => lines.push(line) }, ...(options.embeddedLogFs === undefined ? {} : { embeddedLogFs: options.embeddedLogFs }) },
  );
  await runtime.start();
  const token = runtime.systemToken!;
  const serdes = modelSerdes();
  return {
    runtime,
    dataDir,
    lines,
    post: async (route, body) =>
      readTestResponse(
        await fetch(`${runtime.url}/${route}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body ?? {}),
        }),
      ),
    async appendMessages(messages) {
      if (messages.length === 0) return;
      await runtime.log.append(COMMUNICATION_TOPICS.messages.name, messages.map((m) => ({ key: Buffer.from(m.id), value: serdes.message.serialize(m) })));
    },
    async appendChannel(channel) {
      await runtime.log.append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(channel.id), value: serdes.channel.serialize(channel) }]);
    },
    stop: () => runtime.stop(),
  };
}

export const TEST_CHANNEL: Channel = {
  id: channelId('custom.shop', 'web'),
  source: 'custom.shop',
  sourceChannelId: 'web',
  token: null,
  connectionState: 'CONNECTED',
};

/** Message `n` of contact `contact`: its id, conversation and text derive from them. */
export function testMessage(contact: string, n: number, over: Partial<Message> = {}): Message {
  const conversation = conversationId(TEST_CHANNEL.id, contact);
  return {
    id: `${conversation.slice(0, 24)}${String(n).padStart(12, '0')}`,
    headers: null,
    senderType: 'CONTACT',
    senderId: contact,
    deliveryState: 'DELIVERED',
    conversationId: conversation,
    channelId: TEST_CHANNEL.id,
    source: 'custom.shop',
    sourceRecipientId: null,
    content: JSON.stringify({ text: `${contact} #${n}` }),
    sentAt: 1_700_000_000_000 + n,
    updatedAt: null,
    ...over,
  };
}

/** One request the receiver got. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  /** The status it answered. */
  status: number;
}

/** What the receiver answers a request: a status, optional headers; or `hang` (never answers). */
export type Answer = number | { status: number; headers?: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests answered 2xx. */
  delivered(): Received[];
  /** Sets how requests are answered from now on (default 200). */
  answer(fn: (req: { headers: http.IncomingHttpHeaders; json: any; count: number }) => Answer): void;
  /** Resolves once `check` holds for the requests so far; rejects after `timeoutMs`. */
  until(check: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  let answerFn: Parameters<Receiver['answer']>[0] = () => 200;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const answer = answerFn({ headers: req.headers, json, count: received.length });
      if (answer === 'hang') {
        hanging.add(res);
        received.push({ headers: req.headers, body, json, status: 0 });
      } else {
        const { status, headers = {} } = typeof answer === 'number' ? { status: answer } : answer;
        received.push({ headers: req.headers, body, json, status });
        res.writeHead(status, headers).end();
      }
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    delivered: () => received.filter((r) => r.status >= 200 && r.status < 300),
    answer(fn) {
      answerFn = fn;
    },
    until(check, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const test = (): void => {
          if (!check(received)) return;
          waiters.delete(test);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(test);
          reject(new Error(`receiver condition not met within ${timeoutMs} ms; got ${received.length} requests: ${JSON.stringify(received.map((r) => [r.status, r.json?.type]).slice(-20))}`));
        }, timeoutMs);
        waiters.add(test);
        test();
      });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
