import { createPlatform, type Runtime } from '@parley/runtime';
import { channelId, conversationId, messageId } from '@parley/schemas';
import express from 'express';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { runLoad, sourceMessage } from '../lib/http-load.js';
import { percentile } from '../lib/measure.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';

const INGEST_MESSAGES = 5000;
const INGEST_BATCH = 10;
/** Messages of the batched run: more than the per-request run, which takes as long at a quarter of the rate. */
const BATCHED_MESSAGES = 20_000;
const CONCURRENCY = 32;
const VISIBILITY_SAMPLES = 200;
const LIST_CONVERSATIONS = 100_000;
const LIST_QUERIES = 300;

interface Client {
  post(route: string, body: unknown, token: string): Promise<{ status: number; body: any }>;
}

const client = (url: string): Client => ({
  async post(route, body, token) {
    const response = await fetch(`${url}/${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  },
});

/** Runs `count` calls of `call(i)` with `concurrency` in flight; returns each call's latency in ms. */
async function load(count: number, concurrency: number, call: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const start = performance.now();
        await call(i);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return latencies;
}

const message = sourceMessage;

async function withPlatform<T>(label: string, body: (http: Client, tokens: { system: string; source: string }, url: string) => Promise<T>, fsync?: boolean): Promise<T> {
  return withTempDir(label, async (dir) => {
    const runtime: Runtime = createPlatform({ dataDir: dir, http: { host: '127.0.0.1', port: 0 }, logLevel: 'error', log: { fsync } });
    await runtime.start();
    try {
      const http = client(runtime.url!);
      const system = fs.readFileSync(path.join(dir, 'auth', 'system-token'), 'utf8').trim();
      const created = await http.post('sources.create', { id: 'bench-shop' }, system);
      await http.post('sources.channels.create', { source_id: 'bench-shop', source_channel_id: 'web' }, system);
      return await body(http, { system, source: created.body.token }, runtime.url!);
    } finally {
      await runtime.stop();
    }
  });
}

/** Polls conversations.info until its last message is `messageId`. */
async function untilVisible(http: Client, system: string, conversationId: string, messageId: string): Promise<void> {
  for (;;) {
    const info = await http.post('conversations.info', { conversation_id: conversationId }, system);
    if (info.status === 200 && info.body.last_message?.id === messageId) return;
    await new Promise((r) => setImmediate(r));
  }
}

async function ingest(fsync?: boolean): Promise<BenchResult[]> {
  return withPlatform('ingest', async (http, tokens, url) => {
    const start = performance.now();
    const job = { url: `${url}/sources.webhook`, token: tokens.source, first: 0, count: INGEST_MESSAGES, concurrency: CONCURRENCY, batch: 1, conversations: 1000 };
    const { latencies: acks, last } = await runLoad(job);
    const lastAck = (last as { messages: { conversation_id: string; message_id: string }[] }).messages[0]!;
    await untilVisible(http, tokens.system, lastAck.conversation_id, lastAck.message_id);
    const rate = Math.round(INGEST_MESSAGES / ((performance.now() - start) / 1000));
    // End-to-end latency, one message at a time: webhook request until conversations.info shows it.
    const visible: number[] = [];
    for (let i = 0; i < VISIBILITY_SAMPLES; i++) {
      const t = performance.now();
      const response = await http.post('sources.webhook', { messages: [message(INGEST_MESSAGES + i, 1000)] }, tokens.source);
      const ack = response.body.messages[0];
      await untilVisible(http, tokens.system, ack.conversation_id, ack.message_id);
      visible.push(performance.now() - t);
    }
    return [
      { name: 'runtime.embedded.ingest', value: rate, unit: 'messages/s', note: `${INGEST_MESSAGES} sources.webhook requests of one message from a worker thread (undici Pool), ${CONCURRENCY} in flight, until the last is visible in conversations.info; ack p99 ${percentile(acks, 99).toFixed(1)} ms` },
      { name: 'runtime.embedded.ingest.p50', value: Number(percentile(visible, 50).toFixed(2)), unit: 'ms', note: `webhook request → visible in conversations.info, ${VISIBILITY_SAMPLES} sequential messages` },
      { name: 'runtime.embedded.ingest.p99', value: Number(percentile(visible, 99).toFixed(2)), unit: 'ms', note: 'same, p99' },
    ];
  }, fsync);
}

const TWILIO = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'bench-twilio-auth-token-0123456789', signedUrl: 'https://parley.example/webhooks/twilio-sms', to: '+4915112345678' };

/**
 * The custom-source ingestion's load as Twilio sends it: INGEST_MESSAGES signed form-encoded
 * inbound SMS to `POST /webhooks/twilio-sms` (signature checked, raw body stored, routed by the
 * twilio-sms router), until the last is visible in conversations.info.
 */
async function ingestTwilio(): Promise<BenchResult[]> {
  return withTempDir('ingest-twilio', async (dir) => {
    const sources = { 'twilio-sms': { accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, publicUrl: TWILIO.signedUrl, apiBaseUrl: 'http://127.0.0.1:9' } };
    const runtime: Runtime = createPlatform({ dataDir: dir, http: { host: '127.0.0.1', port: 0 }, logLevel: 'error', sources });
    await runtime.start();
    try {
      const http = client(runtime.url!);
      const system = fs.readFileSync(path.join(dir, 'auth', 'system-token'), 'utf8').trim();
      await http.post('channels.twilio.sms.connect', { phone_number: TWILIO.to }, system);
      const conversations = 1000;
      const start = performance.now();
      const { latencies: acks } = await runLoad({ url: `${runtime.url}/webhooks/twilio-sms`, token: '', first: 0, count: INGEST_MESSAGES, concurrency: CONCURRENCY, batch: 1, conversations, twilio: TWILIO });
      // The last request's message, derived as the router derives it.
      const last = INGEST_MESSAGES - 1;
      const channel = channelId('twilio.sms', TWILIO.to);
      await untilVisible(http, system, conversationId(channel, `+4917${String(last % conversations).padStart(9, '0')}`), messageId(channel, `SM${String(last).padStart(32, '0')}`));
      const rate = Math.round(INGEST_MESSAGES / ((performance.now() - start) / 1000));
      return [{ name: 'runtime.embedded.ingest.twilio', value: rate, unit: 'messages/s', note: `${INGEST_MESSAGES} signed form-encoded inbound SMS to /webhooks/twilio-sms, same client and concurrency as runtime.embedded.ingest, until the last is visible in conversations.info; ack p99 ${percentile(acks, 99).toFixed(1)} ms` }];
    } finally {
      await runtime.stop();
    }
  });
}

const FACEBOOK = { appId: '424242', appSecret: 'bench-meta-app-secret-0123456789', verifyToken: 'bench-verify-token', pageId: '1111', psidPrefix: 'PSID-' };

/**
 * The custom-source ingestion's load as Meta sends it: INGEST_MESSAGES signed Messenger webhooks
 * (one message each, `X-Hub-Signature-256` checked over the raw bytes, raw body stored, routed by
 * the facebook router) to `POST /webhooks/facebook`, until the last is visible in
 * conversations.info. The Graph API base URL is a closed local port with no retries: the
 * connector's one profile fetch per conversation fails at once (contact.fetch_state `failed`).
 */
async function ingestFacebook(): Promise<BenchResult[]> {
  return withTempDir('ingest-facebook', async (dir) => {
    const graph = { baseUrl: 'http://127.0.0.1:9', retryDelaysMs: [], timeoutMs: 1000 };
    const sources = { facebook: { appId: FACEBOOK.appId, appSecret: FACEBOOK.appSecret, verifyToken: FACEBOOK.verifyToken, graph } };
    const runtime: Runtime = createPlatform({ dataDir: dir, http: { host: '127.0.0.1', port: 0 }, logLevel: 'error', sources });
    await runtime.start();
    try {
      const http = client(runtime.url!);
      const system = fs.readFileSync(path.join(dir, 'auth', 'system-token'), 'utf8').trim();
      const connected = await http.post('channels.facebook.connect', { page_id: FACEBOOK.pageId, page_token: 'EAAG-bench-page-token-0123456789' }, system);
      if (connected.status !== 201) throw new Error(`channels.facebook.connect answered ${connected.status}`);
      const conversations = 1000;
      const start = performance.now();
      const { latencies: acks } = await runLoad({ url: `${runtime.url}/webhooks/facebook`, token: '', first: 0, count: INGEST_MESSAGES, concurrency: CONCURRENCY, batch: 1, conversations, facebook: FACEBOOK });
      // The last request's message, derived as the router derives it.
      const last = INGEST_MESSAGES - 1;
      const channel = channelId('facebook', FACEBOOK.pageId);
      await untilVisible(http, system, conversationId(channel, `${FACEBOOK.psidPrefix}${last % conversations}`), messageId(channel, `m_${last}`));
      const rate = Math.round(INGEST_MESSAGES / ((performance.now() - start) / 1000));
      return [{ name: 'runtime.embedded.ingest.facebook', value: rate, unit: 'messages/s', note: `${INGEST_MESSAGES} signed Messenger webhooks (one message each) to /webhooks/facebook, same client and concurrency as runtime.embedded.ingest, until the last is visible in conversations.info; ack p99 ${percentile(acks, 99).toFixed(1)} ms` }];
    } finally {
      await runtime.stop();
    }
  });
}

/** The same ingestion with INGEST_BATCH messages per request: the platform's rate once HTTP is not the limit. */
async function ingestBatched(fsync?: boolean): Promise<BenchResult[]> {
  return withPlatform('ingest-batched', async (http, tokens, url) => {
    const requests = BATCHED_MESSAGES / INGEST_BATCH;
    const start = performance.now();
    const job = { url: `${url}/sources.webhook`, token: tokens.source, first: 0, count: requests, concurrency: CONCURRENCY, batch: INGEST_BATCH, conversations: 1000 };
    const { last } = await runLoad(job);
    const messages = (last as { messages: { conversation_id: string; message_id: string }[] }).messages;
    const lastAck = messages[messages.length - 1]!;
    await untilVisible(http, tokens.system, lastAck.conversation_id, lastAck.message_id);
    const rate = Math.round(BATCHED_MESSAGES / ((performance.now() - start) / 1000));
    return [{ name: 'runtime.embedded.ingest.batched', value: rate, unit: 'messages/s', note: `${requests} sources.webhook requests of ${INGEST_BATCH} messages, ${CONCURRENCY} in flight, until the last is visible` }];
  }, fsync);
}

async function list(): Promise<BenchResult[]> {
  return withPlatform('list', async (http, tokens, url) => {
    const batch = 500;
    const job = { url: `${url}/sources.webhook`, token: tokens.source, first: 0, count: LIST_CONVERSATIONS / batch, concurrency: 4, batch, conversations: LIST_CONVERSATIONS };
    const { last } = await runLoad(job);
    const messages = (last as { messages: { conversation_id: string; message_id: string }[] }).messages;
    const lastAck = messages[messages.length - 1]!;
    await untilVisible(http, tokens.system, lastAck.conversation_id, lastAck.message_id);
    const filters = [{}, { unread: true }, { display_name: 'shop 1' }, { sources: ['bench-shop'] }];
    const latencies = await load(LIST_QUERIES, 1, async (i) => {
      const response = await http.post('conversations.list', { ...filters[i % filters.length], page_size: 20 }, tokens.system);
      if (response.status !== 200) throw new Error(`conversations.list answered ${response.status}`);
    });
    return [
      { name: 'runtime.embedded.list.p99', value: Number(percentile(latencies, 99).toFixed(2)), unit: 'ms', note: `conversations.list over HTTP at ${LIST_CONVERSATIONS.toLocaleString('en-US')} conversations, page 20, mixed filters; p50 ${percentile(latencies, 50).toFixed(2)} ms` },
    ];
  });
}

/** A bare express JSON POST handler under the same client and concurrency: the HTTP ceiling. */
async function expressCeiling(): Promise<BenchResult[]> {
  const app = express();
  app.use(express.json());
  app.post('/echo', (req, res) => void res.json({ ok: true, size: JSON.stringify(req.body).length }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
  const { seconds } = await runLoad({ url, token: 'x', first: 0, count: INGEST_MESSAGES, concurrency: CONCURRENCY, batch: 1, conversations: 1000 });
  const rate = Math.round(INGEST_MESSAGES / seconds);
  await new Promise((r) => server.close(r));
  return [{ name: 'ceiling.express.post', value: rate, unit: 'requests/s', note: `bare express JSON POST, the same load generator (a worker thread, undici Pool), ${CONCURRENCY} in flight` }];
}

/** The platform on the embedded log, measured through its HTTP API. */
export const runtimeEmbedded: BenchSuite = {
  name: 'runtime.embedded',
  async run() {
    const ceiling = await expressCeiling();
    const ingested = await ingest();
    // One message per request: report the share of the bare HTTP ceiling measured with the same client.
    const perRequest = ingested[0]!;
    perRequest.note += `; ${Math.round((100 * perRequest.value) / ceiling[0]!.value)}% of ceiling.express.post`;
    const twilio = await ingestTwilio();
    twilio[0]!.note += `; ${Math.round((100 * twilio[0]!.value) / perRequest.value)}% of runtime.embedded.ingest (target ≥ 80%)`;
    const facebook = await ingestFacebook();
    facebook[0]!.note += `; ${Math.round((100 * facebook[0]!.value) / perRequest.value)}% of runtime.embedded.ingest (target ≥ 80%)`;
    return [...ceiling, ...ingested, ...twilio, ...facebook, ...(await ingestBatched()), ...(await list())];
  },
};

/**
 * What the fsync default costs: the ingest runs above with `log.fsync` on (the default: one
 * fdatasync per batch of concurrent appends and per offset commit) and off (page cache only).
 */
export const runtimeFsync: BenchSuite = {
  name: 'runtime.fsync',
  async run() {
    const out: BenchResult[] = [];
    for (const fsync of [true, false]) {
      const label = fsync ? 'fsync' : 'nofsync';
      const results = [...(await ingest(fsync)), ...(await ingestBatched(fsync))];
      for (const r of results) {
        out.push({ ...r, name: r.name.replace('runtime.embedded.', `runtime.fsync.${label}.`), note: `log.fsync ${fsync}; ${r.note}` });
      }
    }
    return out;
  },
};
