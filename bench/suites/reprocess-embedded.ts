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
/** How long the API is read before the shadow starts, for the figure without one. */
const IDLE_READ_MS = 5000;

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

interface ReadFigures {
  latencies: number[];
  failed: number;
}

/** READERS clients calling conversations.list (page 20) and conversations.info in a loop. */
class ApiReaders {
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly conversation: (n: number) => string,
  ) {}

  /** Reads while `work` runs; the latencies of the requests made meanwhile. */
  async during(work: () => Promise<void>): Promise<ReadFigures> {
    const figures: ReadFigures = { latencies: [], failed: 0 };
    let reading = true;
    const clients = Array.from({ length: READERS }, async (_, r) => {
      for (let n = r; reading; n += READERS) {
        const begin = performance.now();
        const res = await (n % 2 === 0 ? post(this.url, this.token, 'conversations.list', { page_size: 20 }) : post(this.url, this.token, 'conversations.info', { conversation_id: this.conversation(n) })).catch(() => ({ status: 0 }));
        figures.latencies.push(performance.now() - begin);
        if (res.status !== 200) figures.failed++;
      }
    });
    try {
      await work();
    } finally {
      reading = false;
      await Promise.all(clients);
    }
    return figures;
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function readersNote({ latencies, failed }: ReadFigures): string {
  return `conversations.list (page 20) and conversations.info, ${READERS} clients in a loop: ${latencies.length} requests, ${failed} failed, p50 ${percentile(latencies, 50).toFixed(1)} ms`;
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

        const readers = new ApiReaders(url, token, (n) => conversation(n % CONVERSATIONS));
        // The same clients first without a shadow: the latency the machine gives the API anyway.
        const idle = await readers.during(() => new Promise((r) => setTimeout(r, IDLE_READ_MS)));
        const begin = performance.now();
        // The API under reads while the shadow catches up.
        const busy = await readers.during(async () => {
          const started = await post(url, token, 'reprocess.start', { topology: 'custom-router' });
          if (started.status !== 200) throw new Error(`reprocess.start: ${JSON.stringify(started.body)}`);
          for (;;) {
            const status = await post(url, token, 'reprocess.status', { topology: 'custom-router' });
            if (status.status !== 200) throw new Error(`reprocess.status: ${JSON.stringify(status.body)}`);
            if (status.body.data[0].caught_up === true) break;
            await new Promise((r) => setTimeout(r, 100));
          }
        });
        const seconds = (performance.now() - begin) / 1000;
        await post(url, token, 'reprocess.abort', { topology: 'custom-router' });
        const note = `${EVENTS.toLocaleString('en')} raw custom-source events (one message each, ${CONVERSATIONS.toLocaleString('en')} conversations), custom-router shadow from earliest beside the live platform`;
        const results: BenchResult[] = [
          { name: `reprocess.embedded.${EVENTS >= 1_000_000 ? '1m' : `${EVENTS / 1000}k`}`, value: Math.round(EVENTS / seconds), unit: 'records/s', note: `${note}; ${seconds.toFixed(1)} s in all, reprocess.start to caught up (target for 1M: < 60 s)` },
          { name: 'reprocess.embedded.api.p99', value: round1(percentile(busy.latencies, 99)), unit: 'ms', note: `${readersNote(busy)} while the shadow catches up (target p99 ≤ 50 ms)` },
          { name: 'reprocess.embedded.api.idle.p99', value: round1(percentile(idle.latencies, 99)), unit: 'ms', note: `the same, for ${IDLE_READ_MS / 1000} s before reprocess.start: what the machine gives the API without a shadow` },
        ];
        return results;
      } finally {
        await runtime.stop();
      }
    });
  },
};
