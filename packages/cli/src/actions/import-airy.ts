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
 * different, so a second run appends nothing. Contacts: Parley's derived contact of each
 * conversation an Airy contact links is folded into Airy's (`reconcileAiryContacts`; see
 * docs/migration-from-airy.md, "Contacts: one person, one contact").
 */
import { CliError } from '../errors.js';
import { loadRuntimeModule } from '../load-runtime.js';
import type { CliIo } from '../io.js';
import { clientFor, type ClientOptions } from '../target.js';
import { appendWrites, fitsOneRequest, TOO_LARGE } from '../import/append-writes.js';
import { changedWrites } from '../import/changed-writes.js';
import { readTopicState } from '../import/parley-topic-state.js';
import { printSummary, summarise, type BadRecordLine, type TopicOutcome } from '../import/import-summary.js';
import { progressFor } from '../import/progress.js';

interface ImportAiryOptions extends ClientOptions {
  brokers: string[];
  topicsPrefix?: string;
  schemaRegistry?: string;
  dryRun?: boolean;
}

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
  const outcomeOf = (target: string) => outcomes.find((o) => o.target === target)!;
  const bad: BadRecordLine[] = [...plan.bad];
  // One contact per person: Parley's derived contact of each conversation Airy's contacts link is folded into Airy's.
  // Parley's contacts are read once (changedWrites reuses them), and only when Airy has contacts to import.
  const states = new Map<string, Awaited<ReturnType<typeof readTopicState>>>();
  let writes = plan.writes;
  if (plan.writes.some((w) => w.topic === airyImport.CONTACTS_TOPIC)) {
    const contacts = await readTopicState(client, airyImport.CONTACTS_TOPIC);
    states.set(airyImport.CONTACTS_TOPIC, contacts);
    const parleyContacts = [...contacts.values()].flatMap((stored) => (stored.json === null ? [] : [JSON.parse(stored.json) as unknown]));
    const reconciled = airyImport.reconcileAiryContacts({ writes: plan.writes, parleyContacts, now: Date.now() });
    writes = [...plan.writes, ...reconciled];
    outcomeOf(airyImport.CONTACTS_TOPIC).planned += reconciled.length;
  }
  const { changed, unchanged, keptNewer } = await changedWrites(client, writes, states);
  for (const [target, n] of unchanged) outcomeOf(target).unchanged = n;
  for (const [target, n] of keptNewer) outcomeOf(target).kept_newer = n;
  const fitting = changed.filter((write) => {
    if (fitsOneRequest(write)) return true;
    const outcome = outcomeOf(write.topic);
    outcome.bad[TOO_LARGE] = (outcome.bad[TOO_LARGE] ?? 0) + 1;
    bad.push({ topic: outcome.topic, partition: -1, offset: -1, reason: TOO_LARGE, detail: `key ${write.key}` });
    return false;
  });
  const written = options.dryRun === true ? fitting : await appendWrites(client, fitting, progressFor(io));
  for (const write of written) outcomeOf(write.topic).written += 1;
  const summary = summarise(outcomes, bad, options.dryRun === true);
  if (options.json === true) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else printSummary(summary, io);
}

