/**
 * The keyed comparison of a shadow output topic with its live topic: the latest record per key
 * of each, compared byte for byte (the model's Avro encoding is deterministic, so equal values
 * have equal bytes; Metadata without its timestamp, see metadata-precedence.ts). Only keys the shadow wrote are compared: the live model topics are shared
 * with other writers (the API, other routers), whose keys are not the shadow's business.
 */
import type { Log, LogRecord } from '@parley/streams';
import { sameValue } from './metadata-precedence.js';

const READ_BATCH = 5000;

/** The latest record of one key. */
export interface KeyedRecord {
  key: Buffer;
  value: Buffer | null;
  partition: number;
  timestamp: number;
}

/** added: the shadow has a value the live topic lacks; removed: the shadow deleted (tombstone) a live value; changed: both differ. */
export type ChangeKind = 'added' | 'removed' | 'changed';

export interface KeyChange {
  kind: ChangeKind;
  key: Buffer;
  /** Partition of the shadow's record (the shadow topic has the live topic's partition count and partitioner). */
  partition: number;
  timestamp: number;
  /** The live value (null when absent). */
  before: Buffer | null;
  /** The shadow's value (null: a tombstone). */
  after: Buffer | null;
}

export interface OutputComparison {
  changes: KeyChange[];
  /** Keys the shadow wrote with the live value already equal. */
  unchanged: number;
}

/** Calls `visit` with every record of `topic`, partition by partition, up to the end offsets seen at the start. */
export async function forEachRecord(log: Log, topic: string, visit: (record: LogRecord) => void): Promise<void> {
  const { partitions } = await log.describeTopic(topic);
  for (let partition = 0; partition < partitions; partition++) {
    const tp = { topic, partition };
    const end = await log.endOffset(tp);
    let offset = await log.beginningOffset(tp);
    while (offset < end) {
      const batch = await log.read(tp, offset, { maxRecords: READ_BATCH });
      if (batch.length === 0) break; // compaction removed the rest
      for (const record of batch) if (record.offset < end) visit(record);
      offset = batch[batch.length - 1]!.offset + 1;
    }
  }
}

/** The latest record per key of `topic` (keyless records skipped), only for keys `keep` accepts. */
export async function latestByKey(log: Log, topic: string, keep: (id: string) => boolean = () => true): Promise<Map<string, KeyedRecord>> {
  const latest = new Map<string, KeyedRecord>();
  await forEachRecord(log, topic, (r) => {
    if (r.key === null) return;
    const id = keyId(r.key);
    if (keep(id)) latest.set(id, { key: r.key, value: r.value, partition: r.partition, timestamp: r.timestamp });
  });
  return latest;
}

/** Compares the latest records of `shadowTopic` with those of `liveTopic` for the same keys. */
export async function compareKeyedOutput(log: Log, liveTopic: string, shadowTopic: string): Promise<OutputComparison> {
  const shadow = await latestByKey(log, shadowTopic);
  const live = await latestByKey(log, liveTopic, (id) => shadow.has(id));
  const changes: KeyChange[] = [];
  let unchanged = 0;
  for (const [id, s] of shadow) {
    const before = live.get(id)?.value ?? null;
    const kind = changeKind(before, s.value);
    if (kind === undefined) unchanged++;
    else changes.push({ kind, key: s.key, partition: s.partition, timestamp: s.timestamp, before, after: s.value });
  }
  return { changes, unchanged };
}

function changeKind(before: Buffer | null, after: Buffer | null): ChangeKind | undefined {
  if (after === null) return before === null ? undefined : 'removed';
  if (before === null) return 'added';
  return sameValue(before, after) ? undefined : 'changed';
}

/** A Map key for bytes (latin1 maps each byte to one char, losslessly). */
function keyId(key: Buffer): string {
  return key.toString('latin1');
}

/** Number of records stored in `topic` (end minus beginning offsets). */
export async function storedRecords(log: Log, topic: string): Promise<number> {
  const { partitions } = await log.describeTopic(topic);
  let total = 0;
  for (let partition = 0; partition < partitions; partition++) total += (await log.endOffset({ topic, partition })) - (await log.beginningOffset({ topic, partition }));
  return total;
}
