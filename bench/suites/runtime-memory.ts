import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from '../lib/http-load.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Messages per checkpoint: 100k always; 1M with PARLEY_BENCH_MEMORY_1M=1 (about ten times as long). */
const CHECKPOINTS = process.env.PARLEY_BENCH_MEMORY_1M === '1' ? [100_000, 1_000_000] : [100_000];
const BATCH = 500;
const CONVERSATIONS = 20_000;
const LIST_QUERIES = 300;
const MB = 1024 * 1024;

export interface Child {
  process: ChildProcess;
  url: string;
  memory(): Promise<NodeJS.MemoryUsage & { vmRss: number }>;
}

export async function startChild(dataDir: string, overrides: unknown): Promise<Child> {
  // PARLEY_BENCH_CHILD_PROF=<dir>: a CPU profile of the platform, written there when it stops.
  const profile = process.env.PARLEY_BENCH_CHILD_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PARLEY_BENCH_CHILD_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--conditions=source', '--import', 'tsx', path.join(here, '..', 'lib', 'platform-process.ts'), dataDir, JSON.stringify(overrides)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  let url: string | undefined;
  const started = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('url ')) {
          url = line.slice(4);
          resolve();
        } else if (line.startsWith('memory ')) waiting.shift()?.(line.slice(7));
      }
    });
  });
  await started;
  return {
    process: child,
    url: url!,
    memory: () =>
      new Promise((resolve) => {
        waiting.push((json) => {
          // VmRSS from /proc: the resident set as the kernel counts it (process.memoryUsage().rss samples the same).
          const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const vmRss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
          resolve({ ...(JSON.parse(json) as NodeJS.MemoryUsage), vmRss });
        });
        child.stdin!.write('\n');
      }),
  };
}

export async function post(url: string, route: string, token: string, body: unknown): Promise<any> {
  const response = await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${route} answered ${response.status}: ${text}`);
  return text === '' ? null : JSON.parse(text);
}

export async function untilVisible(url: string, token: string, conversationId: string, messageId: string): Promise<void> {
  for (;;) {
    const info = await fetch(`${url}/conversations.info`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ conversation_id: conversationId }) });
    const body = (await info.json()) as { last_message?: { id: string } };
    if (info.status === 200 && body.last_message?.id === messageId) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const fmt = (m: NodeJS.MemoryUsage & { vmRss: number }) =>
  `RSS ${Math.round(m.vmRss / MB)} MB: JS heap ${Math.round(m.heapUsed / MB)}/${Math.round(m.heapTotal / MB)} MB, external ${Math.round(m.external / MB)} MB (array buffers ${Math.round(m.arrayBuffers / MB)} MB)`;

/** Ingests up to each checkpoint, waits until it is processed, reads, and samples the platform's RSS. */
export async function measureMemory(label: string, overrides: unknown): Promise<BenchResult[]> {
  return withTempDir(`memory-${label}`, async (dataDir) => {
    const child = await startChild(dataDir, overrides);
    try {
      const system = fs.readFileSync(path.join(dataDir, 'auth', 'system-token'), 'utf8').trim();
      const source = (await post(child.url, 'sources.create', system, { id: 'bench-shop' })).token as string;
      await post(child.url, 'sources.channels.create', system, { source_id: 'bench-shop', source_channel_id: 'web' });
      const results: BenchResult[] = [];
      const idle = await child.memory();
      results.push({ name: `runtime.memory.${label}.idle`, value: Math.round(idle.vmRss / MB), unit: 'MB RSS', note: `started, nothing ingested; ${fmt(idle)}` });
      let sent = 0;
      for (const checkpoint of CHECKPOINTS) {
        const requests = (checkpoint - sent) / BATCH;
        const { last } = await runLoad({ url: `${child.url}/sources.webhook`, token: source, first: sent, count: requests, concurrency: 4, batch: BATCH, conversations: CONVERSATIONS }).catch((err: Error) => {
          // Say whether the platform itself was still up: a dead child and a refused request read alike from here.
          const { exitCode, signalCode } = child.process;
          throw new Error(`${label}: load towards ${checkpoint.toLocaleString('en-US')} failed (platform ${exitCode === null && signalCode === null ? 'still running' : `exited: code ${exitCode}, signal ${signalCode}`}): ${err.message}`, { cause: err });
        });
        sent = checkpoint;
        const messages = (last as { messages: { conversation_id: string; message_id: string }[] }).messages;
        await untilVisible(child.url, system, messages[messages.length - 1]!.conversation_id, messages[messages.length - 1]!.message_id);
        const ingested = await child.memory();
        for (let i = 0; i < LIST_QUERIES; i++) {
          const page = await post(child.url, 'conversations.list', system, { page_size: 20, ...(i % 2 === 0 ? {} : { unread: true }) });
          await post(child.url, 'messages.list', system, { conversation_id: page.data[i % page.data.length].id, page_size: 50 });
        }
        const read = await child.memory();
        const k = `${checkpoint / 1000}k`;
        results.push({ name: `runtime.memory.${label}.${k}`, value: Math.round(ingested.vmRss / MB), unit: 'MB RSS', note: `${checkpoint.toLocaleString('en-US')} messages over ${CONVERSATIONS.toLocaleString('en-US')} conversations ingested (${BATCH}/request) and processed; ${fmt(ingested)}` });
        results.push({ name: `runtime.memory.${label}.${k}.read`, value: Math.round(read.vmRss / MB), unit: 'MB RSS', note: `then ${LIST_QUERIES} conversations.list + messages.list; ${fmt(read)}` });
      }
      const stores = countLevelDbStores(path.join(dataDir, 'state'));
      for (const r of results) r.note += `; ${stores} LevelDB stores`;
      return results;
    } finally {
      await stopChild(child);
    }
  });
}

/** SIGTERM (a clean stop, which also writes a CPU profile), SIGKILL if it is still up after 30 s. */
async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  const killer = setTimeout(() => child.process.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(killer);
}

function countLevelDbStores(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => path.basename(f) === 'CURRENT').length;
}

const MiB = 1024 * 1024;

/**
 * The platform's resident memory under ingestion: with the default `memory` settings (10 MiB
 * record cache, 8 MiB block cache, 4 MiB write buffer per store) and with a small budget (1 MiB each).
 */
export const runtimeMemory: BenchSuite = {
  name: 'runtime.memory',
  async run() {
    const small = { memory: { storeCacheBytes: MiB, leveldbBlockCacheBytes: MiB, leveldbWriteBufferBytes: MiB } };
    const results = [...(await measureMemory('default', {})), ...(await measureMemory('small', small))];
    for (const r of results) if (r.name.includes('.small.')) r.note = `memory: 1 MiB record cache, block cache and write buffer per store; ${r.note}`;
    return results;
  },
};
