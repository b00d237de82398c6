/**
 * The reprocess story's setup, shared by its tests: a platform running the buggy shop router,
 * a custom source channel, and raw shop events ingested through the log.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Log } from '@parley/streams';
import { readTestResponse, type TestResponse } from '../helpers.js';
import { SHOP_EVENTS_TOPIC, type ShopEvent } from './fixtures/shop-router.js';

export const FIXED_MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'shop-router-fixed.ts');

/** Contacts (one conversation each); every 7th has a handle equal to its name, so the bug does not show there. */
export const CONTACTS = 80;

export function contactName(i: number): string {
  return `Name ${i}`;
}

export function contactHandle(i: number): string {
  return i % 7 === 0 ? contactName(i) : `@user${i}`;
}

/** The contacts whose display name the bug changes. */
export function touchedContacts(): number[] {
  return Array.from({ length: CONTACTS }, (_, i) => i).filter((i) => contactHandle(i) !== contactName(i));
}

/** Appends `count` raw events, round-robin over the contacts, in batches. */
export async function ingestShopEvents(log: Log, channelId: string, count: number, first = 0): Promise<void> {
  const batch = 1000;
  for (let start = first; start < first + count; start += batch) {
    const records = [];
    for (let n = start; n < Math.min(first + count, start + batch); n++) {
      const i = n % CONTACTS;
      const event: ShopEvent = { id: `e-${n}`, channel_id: channelId, contact: `c-${i}`, sent_at: 1_700_000_000_000 + n, text: `hello ${n}`, sender: { name: contactName(i), handle: contactHandle(i) } };
      records.push({ key: Buffer.from(event.contact), value: Buffer.from(JSON.stringify(event)), timestamp: event.sent_at });
    }
    await log.append(SHOP_EVENTS_TOPIC, records);
  }
}

/** Appends `count` raw events as `ingestShopEvents` does, through `topics.produce` (for a platform in a child process, which owns the embedded log). */
export async function produceShopEvents(url: string, token: string, channelId: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 1000) {
    const records = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const n = start + k;
      const i = n % CONTACTS;
      return { key: `c-${i}`, timestamp: 1_700_000_000_000 + n, value: { id: `e-${n}`, channel_id: channelId, contact: `c-${i}`, sent_at: 1_700_000_000_000 + n, text: `hello ${n}`, sender: { name: contactName(i), handle: contactHandle(i) } } };
    });
    const res = await post(url, 'topics.produce', token, { name: 'source.shop.events', records });
    if (res.status !== 200) throw new Error(`topics.produce: ${res.text}`);
  }
}

/** POST /<route> with a bearer token. */
export async function post(url: string, route: string, token: string | undefined, body: unknown = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return readTestResponse(await fetch(`${url}/${route}`, { method: 'POST', headers, body: JSON.stringify(body) }));
}

/** Creates custom source `shop` and its channel `web`; resolves with the channel id. */
export async function createShopChannel(url: string, token: string): Promise<string> {
  const source = await post(url, 'sources.create', token, { id: 'shop' });
  if (source.status >= 300) throw new Error(`sources.create: ${source.text}`);
  const channel = await post(url, 'sources.channels.create', token, { source_id: 'shop', source_channel_id: 'web' });
  if (channel.status >= 300) throw new Error(`sources.channels.create: ${channel.text}`);
  return channel.json.id as string;
}

/** Every conversation's contact display name, by source conversation id (`c-<i>`). */
export async function displayNames(url: string, token: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await post(url, 'conversations.list', token, { page_size: 100, ...(cursor === undefined ? {} : { cursor }) });
    if (page.status !== 200) throw new Error(`conversations.list: ${page.text}`);
    for (const c of page.json.data) names.set(c.source_conversation_id, c.metadata.contact.display_name);
    cursor = page.json.pagination_data.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return names;
}

/** Polls `check` until it holds, failing after `timeoutMs` with the last value seen. */
export async function waitFor<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached after ${timeoutMs} ms; last ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
