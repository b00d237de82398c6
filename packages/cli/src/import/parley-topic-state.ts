/**
 * What Parley's topics hold now, read through the runtime's `topics.read` (the embedded log
 * belongs to the runtime's process): for each key, the latest value as canonical JSON, or null
 * for a tombstone. The importer compares against it to write only what is missing or different,
 * so a second run writes nothing.
 */
import type { DecodedBytes, Position, RuntimeClient } from '../runtime-client.js';
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
  let positions: Position[] | undefined;
  for (;;) {
    const page = await client.topicsRead({ name: topic, max_records: PAGE, ...(positions === undefined ? { from: 'earliest' as const } : { positions }) });
    for (const record of page.data) {
      const key = keyText(record.key);
      if (key === undefined) continue;
      const value = record.value.encoding === 'null' ? null : record.value.data;
      const timestamp = (value as { timestamp?: unknown } | null)?.timestamp;
      state.set(key, { json: value === null ? null : canonicalJson(value), timestamp: typeof timestamp === 'number' ? timestamp : undefined });
    }
    positions = page.positions;
    if (page.caught_up) return state;
  }
}

/** The key as the text it was written as (the runtime shows text keys that parse as JSON as JSON). */
function keyText(key: DecodedBytes): string | undefined {
  if (key.encoding === 'string') return key.data as string;
  if (key.encoding === 'json') return JSON.stringify(key.data);
  return undefined;
}
