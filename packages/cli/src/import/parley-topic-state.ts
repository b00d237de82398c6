/**
 * What Parley's topics hold now, read through the runtime's `topics.read` (the embedded log
 * belongs to the runtime's process): for each key, the latest value as canonical JSON, or null
 * for a tombstone. The importer compares against it to write only what is missing or different,
 * so a second run writes nothing.
 */
import type { DecodedBytes, Position, RuntimeClient, TopicRecord } from '../runtime-client.js';
import { canonicalJson } from './canonical-json.js';

const PAGE = 1000;

export interface StoredRecord {
  /** Canonical JSON of the decoded value; null: a tombstone. */
  json: string | null;
  /** The `timestamp` field of the value, when it has one (metadata merges by it). */
  timestamp: number | undefined;
}

export async function readTopicState(client: RuntimeClient, topic: string): Promise<Map<string, StoredRecord>> {
  const state = new Map<string, StoredRecord>();
  const { partitions } = await client.topicsDescribe(topic);
  const ends: Position[] = partitions.map((p) => ({ partition: p.partition, offset: p.end_offset }));
  // One partition at a time (the others given at their end), so each page reads one partition only.
  for (const { partition, beginning_offset: beginning, end_offset: end } of partitions) {
    let offset = beginning;
    while (offset < end) {
      const positions = ends.map((e) => (e.partition === partition ? { partition, offset } : e));
      const page = await client.topicsRead({ name: topic, positions, max_records: PAGE });
      for (const record of page.data) remember(state, record);
      const next = page.positions.find((p) => p.partition === partition)?.offset ?? end;
      if (next <= offset) break;
      offset = next;
    }
  }
  return state;
}

function remember(state: Map<string, StoredRecord>, record: TopicRecord): void {
  const key = keyText(record.key);
  if (key === undefined) return;
  const value = record.value.encoding === 'null' ? null : record.value.data;
  const timestamp = (value as { timestamp?: unknown } | null)?.timestamp;
  state.set(key, { json: value === null ? null : canonicalJson(value), timestamp: typeof timestamp === 'number' ? timestamp : undefined });
}

/** The key as the text it was written as (the runtime shows text keys that parse as JSON as JSON). */
function keyText(key: DecodedBytes): string | undefined {
  if (key.encoding === 'string') return key.data as string;
  if (key.encoding === 'json') return JSON.stringify(key.data);
  return undefined;
}
