/**
 * `planAiryImport`: reads an Airy Core installation's `application.communication.*` topics and
 * turns their latest state into Parley model records, encoded with Parley's serdes, ready to be
 * appended to Parley's topics. Writing is the caller's part (the CLI appends through the
 * runtime's `topics.produce`, skipping what Parley already holds), so the plan itself changes
 * nothing and can be shown as a dry run.
 */
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { COMMUNICATION_TOPICS } from '@parley/schemas';
import type { Log, Serde } from '@parley/streams';
import { AIRY_DATASETS, type AiryDataset } from './airy-datasets.js';
import type { ParleyWrite } from './airy-mapping.js';
import { AiryRecordDecoder } from './airy-record-decoder.js';
import { schemaRegistryLookup } from './schema-registry.js';
import { readAiryTopic, topicExtent, type BadRecord, type KeyState } from './airy-topic-reader.js';

export interface AiryImportOptions {
  /** Airy's Kafka bootstrap brokers (`host:port`). */
  brokers: string[];
  /** AIRY_CORE_NAMESPACE of the installation: its topics are `<namespace>.application.communication.*`. Default none. */
  namespace?: string;
  /** Airy's schema registry URL: each record is then read with the writer schema its id names. Default none: the known versions are tried. */
  schemaRegistry?: string;
  /** Called as records are read: `read` of `total` records over all topics. */
  onProgress?: (progress: { topic: string; read: number; total: number }) => void;
  /** Read from this log instead of connecting to `brokers` (it must be open; it is not closed). */
  log?: Log;
}

/** One record for a Parley topic: the key, the encoded value (null: tombstone), the record itself for comparisons, Airy's timestamp. */
export interface PlannedWrite extends ParleyWrite {
  value: Buffer | null;
  timestamp: number;
}

/** What became of one Airy topic. Reason texts are stable, so they group the records. */
export interface AiryTopicReport {
  topic: string;
  target: string;
  /** False when the installation has no such topic (nothing to import from it). */
  present: boolean;
  /** Records read, every version of every key. */
  records: number;
  /** Keys whose latest version is a value (older versions are superseded, as compaction would). */
  latest: number;
  /** Parley records planned (values and deletions). */
  planned: number;
  skipped: Record<string, number>;
  bad: Record<string, number>;
  /** Schema-registry ids met in the records' framing. */
  schema_ids: number[];
}

export interface AiryImportPlan {
  topics: AiryTopicReport[];
  writes: PlannedWrite[];
  /** Every record that could not be read or mapped, with its position. */
  bad: BadRecord[];
}

export async function planAiryImport(options: AiryImportOptions): Promise<AiryImportPlan> {
  const log = options.log ?? (await openAiryLog(options));
  try {
    return await plan(log, options);
  } finally {
    if (options.log === undefined) await log.close();
  }
}

async function openAiryLog(options: AiryImportOptions): Promise<Log> {
  const { KafkaLog } = await import('@parley/streams/kafka');
  const log = new KafkaLog({ brokers: options.brokers, clientId: 'parley-import-airy', ...(options.namespace === undefined ? {} : { namespace: options.namespace }) });
  await log.open();
  return log;
}

async function plan(log: Log, options: AiryImportOptions): Promise<AiryImportPlan> {
  const onProgress = options.onProgress ?? (() => {});
  const lookup = options.schemaRegistry === undefined ? undefined : schemaRegistryLookup(options.schemaRegistry);
  const existing = new Set(await log.listTopics());
  const present = AIRY_DATASETS.filter((d) => existing.has(d.topic));
  const sizes = await Promise.all(present.map(async (d) => (await topicExtent(log, d.topic)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  const serdes = modelSerdes();
  const result: AiryImportPlan = { topics: [], writes: [], bad: [] };
  let read = 0;
  for (const dataset of AIRY_DATASETS) {
    const report: AiryTopicReport = { topic: dataset.topic, target: dataset.target, present: existing.has(dataset.topic), records: 0, latest: 0, planned: 0, skipped: {}, bad: {}, schema_ids: [] };
    result.topics.push(report);
    if (!report.present) continue;
    const decoder = new AiryRecordDecoder({ schema: dataset.schema, ...(dataset.legacy === undefined ? {} : { legacy: dataset.legacy }), ...(dataset.upgrade === undefined ? {} : { upgrade: dataset.upgrade }), ...(lookup === undefined ? {} : { lookup }) });
    const contents = await readAiryTopic(log, dataset.topic, decoder, (n) => {
      read += n;
      onProgress({ topic: dataset.topic, read, total });
    });
    report.records = contents.records;
    report.schema_ids = [...contents.schemaIds].sort((a, b) => a - b);
    for (const bad of contents.bad) count(report.bad, bad.reason);
    result.bad.push(...contents.bad);
    const serde = serdeFor(serdes, dataset.target);
    for (const [key, state] of contents.latest) {
      if (state.kind === 'value') report.latest += 1;
      const outcome = planned(dataset, state, serde);
      if (outcome.kind === 'write') {
        report.planned += 1;
        result.writes.push(outcome.write);
      } else {
        count(outcome.kind === 'bad' ? report.bad : report.skipped, outcome.reason);
        if (outcome.kind === 'bad') result.bad.push({ topic: dataset.topic, partition: -1, offset: -1, reason: outcome.reason, detail: `key ${key}${outcome.detail === undefined ? '' : `: ${outcome.detail}`}` });
      }
    }
  }
  return result;
}

type KeyOutcome = { kind: 'write'; write: ParleyWrite } | { kind: 'skipped' | 'bad'; reason: string; detail?: string };

/** The encoded write for a key, or why there is none; a record Parley's own checks refuse is bad, never a crash. */
function planned(dataset: AiryDataset, state: KeyState, serde: Serde<ModelRecord>): { kind: 'write'; write: PlannedWrite } | Exclude<KeyOutcome, { kind: 'write' }> {
  try {
    const outcome = planKey(dataset, state);
    if (outcome.kind !== 'write') return outcome;
    const { record } = outcome.write;
    return { kind: 'write', write: { ...outcome.write, value: record === null ? null : serde.serialize(record), timestamp: state.timestamp } };
  } catch (err) {
    return { kind: 'bad', reason: "cannot be written as Parley's record", detail: (err as Error).message };
  }
}

/** A value maps to its Parley record; a tombstone deletes the Parley record its deleted value mapped to. */
function planKey(dataset: AiryDataset, state: KeyState): KeyOutcome {
  if (state.kind === 'tombstone' && state.deleted === undefined) return { kind: 'skipped', reason: 'deleted in Airy' };
  const mapped = dataset.map(state.kind === 'value' ? state.value : state.deleted);
  if (mapped.outcome !== 'mapped') return { kind: mapped.outcome, reason: mapped.reason };
  return { kind: 'write', write: state.kind === 'value' ? mapped.write : { ...mapped.write, record: null } };
}

function count(counts: Record<string, number>, reason: string): void {
  counts[reason] = (counts[reason] ?? 0) + 1;
}

type ModelRecord = NonNullable<ParleyWrite['record']>;

/** The serde of a Parley topic (each dataset's mapping produces that topic's record type). */
function serdeFor(serdes: ModelSerdes, target: string): Serde<ModelRecord> {
  const byTopic = new Map<string, Serde<unknown>>([
    [COMMUNICATION_TOPICS.channels.name, serdes.channel],
    [COMMUNICATION_TOPICS.sources.name, serdes.source],
    [COMMUNICATION_TOPICS.tags.name, serdes.tag],
    [COMMUNICATION_TOPICS.templates.name, serdes.template],
    [COMMUNICATION_TOPICS.messages.name, serdes.message],
    [COMMUNICATION_TOPICS.metadata.name, serdes.metadata],
    [COMMUNICATION_TOPICS.contacts.name, serdes.metadata],
    [COMMUNICATION_TOPICS.readReceipts.name, serdes.readReceipt],
  ]);
  const serde = byTopic.get(target);
  if (serde === undefined) throw new Error(`no serde for ${target}`);
  return serde as unknown as Serde<ModelRecord>;
}
