import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMUNICATION_TOPICS, channelId, conversationId, messageId, type Channel, type Message } from '@parley/schemas';
import { communicationSerdes, waitForOffsets } from '@parley/communication';
import type { Page } from 'playwright-core';
import { createPlatform, type Runtime } from '../../../src/index.js';
import { readTestResponse, tempDir, type TestResponse } from '../../helpers.js';

/** The agent every inbox test logs in as (created through `users.create` with the system token). */
export const AGENT = { email: 'ada@example.com', name: 'Ada', password: 'correct horse battery' };

export const FACEBOOK = channel('facebook', '104857600123456');
export const SMS = channel('twilio.sms', '+4915112345678');

function channel(source: string, sourceChannelId: string): Channel {
  return { id: channelId(source, sourceChannelId), source, sourceChannelId, token: null, connectionState: 'CONNECTED' };
}

/** An inbound message from contact `contact` on `on`. */
export function inbound(on: Channel, contact: string, mid: string, text: string, sentAt: number): Message {
  const content = on.source === 'facebook' ? { sender: { id: contact }, recipient: { id: on.sourceChannelId }, timestamp: sentAt, message: { mid, text } } : { Body: text, From: contact };
  return {
    id: messageId(on.id, mid),
    headers: null,
    senderType: 'CONTACT',
    senderId: contact,
    deliveryState: 'DELIVERED',
    conversationId: conversationId(on.id, contact),
    channelId: on.id,
    source: on.source,
    sourceRecipientId: null,
    content: JSON.stringify(content),
    sentAt,
    updatedAt: null,
  };
}

/**
 * A started platform for the inbox in a browser: auth on, the webhooks' publisher and the
 * realtime websocket on (live updates), one agent account, and helpers that seed model records
 * the way a source would (appended to the model topics).
 */
export interface InboxPlatform {
  runtime: Runtime;
  url: string;
  post(route: string, body?: unknown, token?: string | null): Promise<TestResponse>;
  seed(records: { channels?: Channel[]; messages?: Message[] }): Promise<void>;
  stop(): Promise<void>;
}

const serdes = communicationSerdes();

export async function startInboxPlatform(): Promise<InboxPlatform> {
  const runtime = createPlatform({ dataDir: tempDir('ui-inbox'), http: { port: 0 }, auth: { enabled: true } }, { logging: { level: 'warn', write: () => {} } });
  await runtime.start();
  const url = runtime.url;
  const post = async (route: string, body: unknown = {}, token: string | null = runtime.systemToken!) =>
    readTestResponse(await fetch(`${url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) }));
  const created = await post('users.create', { ...AGENT, role: 'admin' });
  expect(created.status, created.text).to.equal(201);
  return {
    runtime,
    url,
    post,
    async seed({ channels = [], messages = [] }) {
      const offsets = [
        ...(channels.length === 0 ? [] : await runtime.log.append(COMMUNICATION_TOPICS.channels.name, channels.map((c) => ({ key: Buffer.from(c.id), value: serdes.channel.serialize(c), timestamp: Date.now() })))),
        ...(messages.length === 0 ? [] : await runtime.log.append(COMMUNICATION_TOPICS.messages.name, messages.map((m) => ({ key: Buffer.from(m.id), value: serdes.message.serialize(m), timestamp: m.sentAt })))),
      ];
      expect(await waitForOffsets(runtime.apps.get('communication')!.app, offsets, 60_000), 'seeded records processed').to.equal(true);
    },
    stop: () => runtime.stop(),
  };
}

/** Logs in through the login form and waits for the conversation list. */
export async function logIn(page: Page, url: string, credentials = AGENT): Promise<void> {
  await page.goto(`${url}/ui/`);
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await listLoaded(page);
}

/** Waits until the conversation list has loaded (its count line shows). */
export async function listLoaded(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: / of \d+ conversations$/ }).waitFor();
}

/** Page errors except the console lines Chromium prints for answers the app expects (401 before login). */
export function unexpectedErrors(errors: readonly string[]): string[] {
  return errors.filter((e) => !/status of 401/.test(e));
}

const IMAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../docs/images');

/** Saves a screenshot for docs/ui.md (docs/images/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(IMAGES, { recursive: true });
  await page.screenshot({ path: path.join(IMAGES, `${name}.png`) });
}

/** Runs axe-core on the page; returns the serious and critical violations (id and a few targets). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  const axe = (await import('axe-core')).default;
  // Evaluated, not added as a <script>: the inbox's CSP refuses inline scripts.
  await page.evaluate(axe.source);
  const results = (await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}
