/**
 * `reprocess.embedded`: raw custom-source events replayed by a shadow of the Source API's router
 * (`parley reprocess start custom-router`) beside the live platform that already ingested them,
 * on the embedded log; and the API's latency while it runs. 100,000 events by default;
 * `PARLEY_BENCH_REPROCESS_EVENTS=1000000` for the figure the issue names.
 */
import { createPlatform, type Runtime } from '@parley/runtime';
import { channelId, conversationId } from '@parley/schemas';
import { sourceMessage } from '../lib/http-load.js';
import { percentile } from '../lib/measure.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';

const EVENTS = Number(process.env.PARLEY_BENCH_REPROCESS_EVENTS ?? 100_000);
const CONVERSATIONS = 10_000;
const SOURCE = 'bench-shop';
const APPEND_BATCH = 1000;
const READERS = 4;

async function post(url: string, token: string, route: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

/** Appends `EVENTS` raw Source API payloads (one message each) to `source.custom.events`, as `sources.webhook` stores them. */
async function appendRawEvents(runtime: Runtime): Promise<void> {
  const key = Buffer.from(SOURCE);
  for (let start = 0; start < EVENTS; start += APPEND_BATCH) {
    const records = [];
    for (let n = start; n < Math.min(EVENTS, start + APPEND_BATCH); n++) records.push({ key, value: Buffer.from(JSON.stringify({ messages: [sourceMessage(n, CONVERSATIONS)] })) });
    await runtime.log.append('source.custom.events', records);
  }
}

async function caughtUp(runtime: Runtime): Promise<void> {
  for (let pass = 0; pass < 2; pass++) await Promise.all([...runtime.apps.values()].map(({ app }) => app.waitUntilCaughtUp(30 * 60_000)));
}

export const reprocessEmbedded: BenchSuite = {
  name: 'reprocess.embedded',
  async run() {
    return withTempDir('reprocess', async (dir) => {
      const runtime = createPlatform({ dataDir: dir, http: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
      await runtime.start();
      try {
        const url = runtime.url;
        const token = runtime.systemToken!;
        await post(url, token, 'sources.create', { id: SOURCE });
        await post(url, token, 'sources.channels.create', { source_id: SOURCE, source_channel_id: 'web' });
        await appendRawEvents(runtime);
        await caughtUp(runtime);
        const channel = channelId(SOURCE, 'web');
        const conversation = (i: number) => conversationId(channel, sourceMessage(i, CONVERSATIONS).source_conversation_id);

        // The API under reads while the shadow catches up.
        const latencies: number[] = [];
        let failed = 0;
        let reading = true;
        const readers = Array.from({ length: READERS }, async (_, r) => {
          for (let n = r; reading; n += READERS) {
            const begin = performance.now();
            const res = await (n % 2 === 0 ? post(url, token, 'conversations.list', { page_size: 20 }) : post(url, token, 'conversations.info', { conversation_id: conversation(n % CONVERSATIONS) })).catch(() => ({ status: 0 }));
            latencies.push(performance.now() - begin);
            if (res.status !== 200) failed++;
          }
        });
        const begin = performance.now();
        try {
          const started = await post(url, token, 'reprocess.start', { topology: 'custom-router' });
          if (started.status !== 200) throw new Error(`reprocess.start: ${JSON.stringify(started.body)}`);
          for (;;) {
            const status = await post(url, token, 'reprocess.status', { topology: 'custom-router' });
            if (status.status !== 200) throw new Error(`reprocess.status: ${JSON.stringify(status.body)}`);
            if (status.body.data[0].caught_up === true) break;
            await new Promise((r) => setTimeout(r, 100));
          }
        } finally {
          reading = false;
          await Promise.all(readers);
        }
        const seconds = (performance.now() - begin) / 1000;
        await post(url, token, 'reprocess.abort', { topology: 'custom-router' });
        const note = `${EVENTS.toLocaleString('en')} raw custom-source events (one message each, ${CONVERSATIONS.toLocaleString('en')} conversations), custom-router shadow from earliest beside the live platform`;
        const results: BenchResult[] = [
          { name: `reprocess.embedded.${EVENTS >= 1_000_000 ? '1m' : `${EVENTS / 1000}k`}`, value: Math.round(EVENTS / seconds), unit: 'records/s', note: `${note}; ${seconds.toFixed(1)} s in all, reprocess.start to caught up (target for 1M: < 60 s)` },
          {
            name: 'reprocess.embedded.api.p99',
            value: Math.round(percentile(latencies, 99) * 10) / 10,
            unit: 'ms',
            note: `conversations.list (page 20) and conversations.info, ${READERS} clients in a loop while the shadow catches up: ${latencies.length} requests, ${failed} failed, p50 ${percentile(latencies, 50).toFixed(1)} ms (target p99 ≤ 50 ms)`,
          },
        ];
        return results;
      } finally {
        await runtime.stop();
      }
    });
  },
};
