/**
 * Which planned records Parley lacks: each is compared with what Parley's topic holds under the
 * same key (see parley-topic-state.ts). Equal records are left out, and so is metadata Parley
 * holds with a later timestamp (metadata merges by it, so an attribute changed in Parley after an
 * earlier import wins over Airy's).
 */
import type { RuntimeClient } from '../runtime-client.js';
import { canonicalJson } from './canonical-json.js';
import { readTopicState, type StoredRecord } from './parley-topic-state.js';

/** One planned Parley record (the runtime's PlannedWrite, as far as the CLI needs it). */
export interface Write {
  topic: string;
  key: string;
  /** The record as JSON-able data; null: a tombstone. */
  record: object | null;
  /** The encoded value; null: a tombstone. */
  value: Buffer | null;
  timestamp: number;
}

export interface ChangedWrites {
  changed: Write[];
  /** Per topic: records Parley holds equal. */
  unchanged: Map<string, number>;
  /** Per topic: metadata Parley holds with a later timestamp. */
  keptNewer: Map<string, number>;
}

/** `states`: topics already read (readTopicState), not read again. */
export async function changedWrites(client: RuntimeClient, writes: readonly Write[], states: ReadonlyMap<string, Map<string, StoredRecord>> = new Map()): Promise<ChangedWrites> {
  const result: ChangedWrites = { changed: [], unchanged: new Map(), keptNewer: new Map() };
  const bump = (counts: Map<string, number>, topic: string) => counts.set(topic, (counts.get(topic) ?? 0) + 1);
  for (const [topic, group] of groupByTopic(writes)) {
    const stored = states.get(topic) ?? (await readTopicState(client, topic));
    for (const write of group) {
      const existing = stored.get(write.key);
      const json = write.record === null ? null : canonicalJson(write.record);
      if (existing === undefined ? json === null : existing.json === json) bump(result.unchanged, topic);
      else if (isNewer(existing?.timestamp, write.record)) bump(result.keptNewer, topic);
      else result.changed.push(write);
    }
  }
  return result;
}

/** The writes by topic, each topic's in their order, topics in the order they first appear. */
export function groupByTopic(writes: readonly Write[]): Map<string, Write[]> {
  const groups = new Map<string, Write[]>();
  for (const write of writes) {
    const group = groups.get(write.topic);
    if (group === undefined) groups.set(write.topic, [write]);
    else group.push(write);
  }
  return groups;
}

function isNewer(stored: number | undefined, record: object | null): boolean {
  const planned = (record as { timestamp?: unknown } | null)?.timestamp;
  return stored !== undefined && typeof planned === 'number' && stored > planned;
}
