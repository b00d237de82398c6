import { randomBytes } from 'node:crypto';
import { runLoad } from '../lib/http-load.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';
import { withKafkaBroker } from './kafka-broker.js';
import { post, startChild, untilVisible, type Child } from './runtime-memory.js';

/** Conversations seeded before the replica figures (two messages each); PARLEY_BENCH_KAFKA_CONVERSATIONS for more. */
const CONVERSATIONS = Number(process.env['PARLEY_BENCH_KAFKA_CONVERSATIONS'] ?? 10_000);
const SEED_MESSAGES = 2 * CONVERSATIONS;
/** Messages per instance in each throughput round. */
const ROUND_MESSAGES = 10_000;
const BATCH = 100;
const LIST_QUERIES = 400;
const MB = 1024 * 1024;

/** Ingest throughput (messages/s) with the load spread over `instances`, each sent `ROUND_MESSAGES`. */
async function ingestRate(instances: Child[], source: string, first: number): Promise<number> {
  const started = performance.now();
  const results = await Promise.all(
    instances.map((child, i) => runLoad({ url: `${child.url}/sources.webhook`, token: source, first: first + i * ROUND_MESSAGES, count: ROUND_MESSAGES / BATCH, concurrency: 4, batch: BATCH, conversations: CONVERSATIONS })),
  );
  const seconds = (performance.now() - started) / 1000;
  if (results.length !== instances.length) throw new Error('a load job did not finish');
  return (instances.length * ROUND_MESSAGES) / seconds;
}

/** conversations.list throughput (queries/s) with 4 concurrent clients per instance. */
async function listRate(instances: Child[], token: string): Promise<number> {
  const started = performance.now();
  await Promise.all(
    instances.flatMap((child) =>
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < LIST_QUERIES / 4; i += 1) await post(child.url, 'conversations.list', token, { page_size: 20 });
      }),
    ),
  );
  return (instances.length * LIST_QUERIES) / ((performance.now() - started) / 1000);
}

async function timedStart(dataDir: string, config: unknown): Promise<{ child: Child; seconds: number }> {
  const started = performance.now();
  const child = await startChild(dataDir, config);
  return { child, seconds: (performance.now() - started) / 1000 };
}

/**
 * Many runtime instances on Kafka (docs/scaling.md): start-up and memory of an instance whose
 * replica holds the read model, and ingest and conversations.list throughput with 1, 2 and 3
 * instances on this machine, as ratios to one.
 */
export const runtimeKafkaScale: BenchSuite = {
  name: 'runtime.kafka',
  run: () =>
    withKafkaBroker((brokers) =>
      withTempDir('kafka-scale', async (root) => {
        const token = `bench-${randomBytes(12).toString('hex')}`;
        const config = {
          log: { backend: 'kafka', brokers, namespace: `bench-${randomBytes(4).toString('hex')}` },
          auth: { systemToken: token, jwtSecret: randomBytes(24).toString('hex') },
          webhooks: { enabled: false },
        };
        const children: Child[] = [];
        try {
          const first = await timedStart(`${root}/a`, config);
          children.push(first.child);
          const a = first.child;
          const source = (await post(a.url, 'sources.create', token, { id: 'bench-shop' })).token as string;
          await post(a.url, 'sources.channels.create', token, { source_id: 'bench-shop', source_channel_id: 'web' });
          const seed = await runLoad({ url: `${a.url}/sources.webhook`, token: source, first: 0, count: SEED_MESSAGES / BATCH, concurrency: 4, batch: BATCH, conversations: CONVERSATIONS });
          const last = (seed.last as { messages: { conversation_id: string; message_id: string }[] }).messages.at(-1)!;
          await untilVisible(a.url, token, last.conversation_id, last.message_id);
          const aMemory = await a.memory();
          const second = await timedStart(`${root}/b`, config);
          children.push(second.child);
          const bMemory = await second.child.memory();
          // A clean stop checkpoints the replica's stores: the restart applies only what came since.
          const exited = new Promise((resolve) => second.child.process.once('exit', resolve));
          second.child.process.kill('SIGTERM');
          await exited;
          children.pop();
          const restarted = await timedStart(`${root}/b`, config);
          children.push(restarted.child);
          const seeded = `${SEED_MESSAGES.toLocaleString('en-US')} messages over ${CONVERSATIONS.toLocaleString('en-US')} conversations`;
          const results: BenchResult[] = [
            { name: 'runtime.kafka.startup.empty', value: Math.round(first.seconds * 10) / 10, unit: 's', note: 'first instance, empty platform: spawn to serving' },
            { name: 'runtime.kafka.startup.replica', value: Math.round(second.seconds * 10) / 10, unit: 's', note: `a second instance with an empty data directory after ${seeded}: its replica reads every changelog` },
            { name: 'runtime.kafka.startup.restart', value: Math.round(restarted.seconds * 10) / 10, unit: 's', note: `the second instance again, same data directory, after a clean stop (SIGTERM): its replica resumes from its checkpoint` },
            { name: 'runtime.kafka.memory.writer', value: Math.round(aMemory.vmRss / MB), unit: 'MB RSS', note: `first instance after ${seeded} (writer tasks + replica)` },
            { name: 'runtime.kafka.memory.replica', value: Math.round(bMemory.vmRss / MB), unit: 'MB RSS', note: `second instance after its start (replica; JS heap ${Math.round(bMemory.heapUsed / MB)} MB)` },
          ];
          const third = await timedStart(`${root}/c`, config);
          children.push(third.child);
          let next = SEED_MESSAGES;
          const ingest: number[] = [];
          const list: number[] = [];
          for (const n of [1, 2, 3]) {
            const serving = children.slice(0, n);
            ingest.push(await ingestRate(serving, source, next));
            next += n * ROUND_MESSAGES;
            list.push(await listRate(serving, token));
          }
          for (const [i, n] of [1, 2, 3].entries()) {
            const note = `${n} instance(s) of 3 started, load on ${n}; ratio to one instance ${(ingest[i]! / ingest[0]!).toFixed(2)}`;
            results.push({ name: `runtime.kafka.ingest.x${n}`, value: Math.round(ingest[i]!), unit: 'messages/s', note: `sources.webhook, ${BATCH}/request, 4 clients per instance; ${note}` });
            results.push({ name: `runtime.kafka.conversations-list.x${n}`, value: Math.round(list[i]!), unit: 'queries/s', note: `page_size 20, 4 clients per instance; ratio ${(list[i]! / list[0]!).toFixed(2)}` });
          }
          return results;
        } finally {
          for (const child of children) child.process.kill('SIGKILL');
        }
      }),
    ),
};
