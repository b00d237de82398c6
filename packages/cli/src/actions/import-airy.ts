/**
 * `parley import airy`: copies an Airy Core installation's history into Parley with Airy's ids.
 *
 * Where the work happens: reading Airy's Kafka and encoding Parley's Avro records needs kafkajs
 * and the streams library, which the CLI never loads itself, so `@parley/runtime` is loaded on
 * demand (as for `start`) and plans the import (`airyImport.planAiryImport`). The records are
 * then appended through the running runtime's `topics.produce` (system token), because the
 * embedded log belongs to the runtime's process and the platform's topologies must see them.
 * Idempotency: every Parley key is Airy's id (or metadataId of Airy's subject and key), and the
 * CLI first reads what Parley's topics hold and appends only records that are missing or
 * different, so a second run appends nothing.
 */
import { CliError } from '../errors.js';
import { loadRuntimeModule } from '../load-runtime.js';
import type { CliIo } from '../io.js';
import type { RuntimeClient } from '../runtime-client.js';
import { clientFor, type ClientOptions } from '../target.js';
import { canonicalJson } from '../import/canonical-json.js';
import { printSummary, summarise, type BadRecordLine, type TopicOutcome } from '../import/import-summary.js';
import { readTopicState } from '../import/parley-topic-state.js';
import { progressFor, type Progress } from '../import/progress.js';

interface ImportAiryOptions extends ClientOptions {
  brokers: string[];
  topicsPrefix?: string;
  schemaRegistry?: string;
  dryRun?: boolean;
}

/** One planned Parley record (the runtime's PlannedWrite, as far as the CLI needs it). */
interface Write {
  topic: string;
  key: string;
  record: object | null;
  value: Buffer | null;
  timestamp: number;
}

/** Bounds of one topics.produce request: the runtime's default body limit is 1 MiB. */
const MAX_BATCH_RECORDS = 1000;
const MAX_BATCH_BYTES = 700 * 1024;
const TOO_LARGE = 'larger than one topics.produce request may be (raise http.bodyLimitBytes)';

export async function importAiryAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as unknown as ImportAiryOptions;
  if (options.brokers === undefined) throw new CliError('CLI_USAGE', "--brokers is required: Airy's Kafka bootstrap brokers, host:port[,host:port…]");
  const client = clientFor(options, io);
  await client.health(); // CLI_RUNTIME_UNREACHABLE before reading anything from Airy
  const { airyImport } = await loadRuntimeModule('import airy');
  const progress = progressFor(io);
  let plan: Awaited<ReturnType<typeof airyImport.planAiryImport>>;
  try {
    plan = await airyImport.planAiryImport({
      brokers: options.brokers,
      ...(options.topicsPrefix === undefined ? {} : { namespace: options.topicsPrefix }),
      ...(options.schemaRegistry === undefined ? {} : { schemaRegistry: options.schemaRegistry }),
      onProgress: ({ topic, read, total }) => progress.update(`reading ${topic}`, read, total),
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'STREAMS_BROKER_UNAVAILABLE') throw new CliError('CLI_AIRY_UNREACHABLE', `Airy's Kafka: ${(err as Error).message}`, { cause: err });
    if (code === 'AIRY_REGISTRY_UNAVAILABLE') throw new CliError('CLI_AIRY_UNREACHABLE', `Airy's schema registry: ${(err as Error).message}`, { cause: err });
    throw err;
  } finally {
    progress.stop();
  }
  if (plan.topics.every((t) => !t.present)) {
    const where = options.topicsPrefix === undefined ? '' : ` under the prefix ${options.topicsPrefix}.`;
    throw new CliError('CLI_AIRY_NOT_FOUND', `no Airy topics (application.communication.*) on ${options.brokers.join(',')}${where}: check --brokers and --topics-prefix`);
  }
  const outcomes: TopicOutcome[] = plan.topics.map((t) => ({ ...t, written: 0, unchanged: 0, kept_newer: 0, skipped: { ...t.skipped }, bad: { ...t.bad } }));
  const bad: BadRecordLine[] = [...plan.bad];
  const pending: Write[] = [];
  for (const [target, writes] of groupByTarget(plan.writes)) {
    const stored = await readTopicState(client, target);
    const outcome = outcomes.find((o) => o.target === target)!;
    for (const write of writes) {
      const existing = stored.get(write.key);
      const json = write.record === null ? null : canonicalJson(write.record);
      if (existing === undefined ? json === null : existing.json === json) outcome.unchanged += 1;
      else if (isNewer(existing?.timestamp, write.record)) outcome.kept_newer += 1;
      else pending.push(write);
    }
  }
  const fitting = pending.filter((write) => {
    if (producedSize(write) <= MAX_BATCH_BYTES) return true;
    const outcome = outcomes.find((o) => o.target === write.topic)!;
    outcome.bad[TOO_LARGE] = (outcome.bad[TOO_LARGE] ?? 0) + 1;
    bad.push({ topic: outcome.topic, partition: -1, offset: -1, reason: TOO_LARGE, detail: `key ${write.key}` });
    return false;
  });
  const written = options.dryRun === true ? fitting : await append(client, fitting, progressFor(io));
  for (const write of written) outcomes.find((o) => o.target === write.topic)!.written += 1;
  const summary = summarise(outcomes, bad, options.dryRun === true);
  if (options.json === true) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else printSummary(summary, io);
}

function groupByTarget(writes: readonly Write[]): Map<string, Write[]> {
  const groups = new Map<string, Write[]>();
  for (const write of writes) groups.set(write.topic, [...(groups.get(write.topic) ?? []), write]);
  return groups;
}

/** Metadata merges by its timestamp: a value Parley holds with a later one wins over Airy's. */
function isNewer(stored: number | undefined, record: object | null): boolean {
  const planned = (record as { timestamp?: unknown } | null)?.timestamp;
  return stored !== undefined && typeof planned === 'number' && stored > planned;
}

/**
 * Appends the records in order, in requests within the runtime's body limit (each record fits
 * one: see TOO_LARGE), and returns those written.
 */
async function append(client: RuntimeClient, writes: readonly Write[], progress: Progress): Promise<Write[]> {
  const written: Write[] = [];
  try {
    for (const [topic, group] of groupByTarget(writes)) {
      let batch: Write[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await client.topicsProduce({ name: topic, base64: true, records: batch.map(toProduced) });
        written.push(...batch);
        progress.update(`writing ${topic}`, written.length, writes.length);
        batch = [];
        bytes = 0;
      };
      for (const write of group) {
        const size = producedSize(write);
        if (batch.length === MAX_BATCH_RECORDS || bytes + size > MAX_BATCH_BYTES) await flush();
        batch.push(write);
        bytes += size;
      }
      await flush();
    }
  } finally {
    progress.stop();
  }
  return written;
}

function toProduced(write: Write): { key: string; value: string | null; timestamp: number } {
  return { key: Buffer.from(write.key, 'utf8').toString('base64'), value: write.value === null ? null : write.value.toString('base64'), timestamp: write.timestamp };
}

/** Bytes of the record in the request's JSON (base64 grows by a third). */
function producedSize(write: Write): number {
  return Math.ceil(((Buffer.byteLength(write.key) + (write.value?.length ?? 0)) * 4) / 3) + 64;
}
