import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeConfigInput } from '../../src/index.js';
import { kafkaBackend, startChildPlatform, tempDir } from '../helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A runtime instance in a child process (fixtures/run-instance.ts). */
export interface Instance {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/**
 * One platform's configuration for N instances on the test broker and Redis: a fresh namespace,
 * secrets shared by every instance (as deploy/ gives them), the Redis delivery queue, loopback
 * webhook targets allowed, and the shortest session timeout the broker accepts.
 */
export function sharedConfig(): RuntimeConfigInput {
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl === undefined) throw new Error('REDIS_URL is not set: run through `npm test`');
  return {
    log: { ...kafkaBackend.freshLog(), sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 },
    auth: { systemToken: `system-${randomBytes(12).toString('hex')}`, jwtSecret: randomBytes(24).toString('hex') },
    sources: { chatplugin: { tokenSecret: randomBytes(32).toString('base64url') } },
    webhooks: { allowPrivateNetworks: true, retrySchedule: [0.05, 0.05, 0.05], queue: { backend: 'redis', url: redisUrl, keyPrefix: `parley-test-${randomBytes(4).toString('hex')}:` } },
  };
}

/** Starts an instance of `config` in a data directory of its own; resolves once it serves. */
export async function startInstance(config: RuntimeConfigInput): Promise<Instance> {
  const { child, url } = await startChildPlatform(path.join(here, 'fixtures/run-instance.ts'), [JSON.stringify({ dataDir: tempDir('instance'), ...config })]);
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url, exited };
}

/** SIGKILL, and wait for the exit. */
export async function kill(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill('SIGKILL');
  await instance.exited;
}

/** SIGTERM (graceful drain); resolves with the exit code. */
export async function terminate(instance: Instance): Promise<number | null> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return instance.child.exitCode;
  instance.child.kill('SIGTERM');
  return instance.exited;
}

/** POSTs JSON with a bearer token; the answer's status and parsed body. */
export async function call(url: string, route: string, token: string, body: unknown = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

/** Every message of a conversation, over all pages. */
export async function listAll(url: string, token: string, conversationId: string): Promise<string[] | undefined> {
  const ids: string[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await call(url, 'messages.list', token, { conversation_id: conversationId, page_size: 100, ...(cursor ? { cursor } : {}) });
    if (page.status !== 200) return undefined;
    ids.push(...page.body.data.map((m: { id: string }) => m.id));
    cursor = page.body.pagination_data.next_cursor;
  } while (cursor);
  return ids;
}

/**
 * Waits (up to 2 min) until every acknowledged message (id → conversation) is listed by `url`,
 * then expects none missing and none twice; returns the conversations.
 */
export async function expectListedOnce(url: string, token: string, acknowledged: ReadonlyMap<string, string>): Promise<string[]> {
  const byConversation = new Map<string, string[]>();
  for (const [messageId, conversationId] of acknowledged) byConversation.set(conversationId, [...(byConversation.get(conversationId) ?? []), messageId]);
  const deadline = Date.now() + 120_000;
  for (const [conversationId, expected] of byConversation) {
    let listed: string[] = [];
    for (;;) {
      listed = (await listAll(url, token, conversationId)) ?? [];
      if (expected.every((id) => listed.includes(id)) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(expected.filter((id) => !listed.includes(id)), `missing in ${conversationId}`).to.deep.equal([]);
    expect(new Set(listed).size, `duplicates in ${conversationId}`).to.equal(listed.length);
  }
  return [...byConversation.keys()];
}
