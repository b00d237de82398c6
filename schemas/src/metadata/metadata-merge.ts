/**
 * Merging a subject's metadata by timestamp: the heart of `metadata.upsert` and of every read
 * model that shows metadata. Per key, the change with the greatest timestamp wins (last writer
 * wins), with a fixed tie-break, so the merged state is the same whatever order the changes
 * arrive in and however they are batched: replays, late records and reprocessing all converge.
 *
 * A deletion is a tombstone: a change with a null value and the time of the deletion. The merged
 * state keeps tombstones, so a write older than the deletion that arrives after it (a replay, a
 * slow producer) cannot bring the attribute back; the document leaves them out.
 */
import { METADATA_VALUE_TYPE_SYMBOLS, type MetadataValueType } from '../generated/records.js';

/** An attribute's value at a time; a Metadata record (subject aside) is one. */
export interface MetadataEntry {
  key: string;
  value: string;
  valueType: MetadataValueType;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
}

/** The deletion of an attribute at a time (a Kafka tombstone, with the record's timestamp). */
export interface MetadataTombstone {
  key: string;
  value: null;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
}

export type MetadataChange = MetadataEntry | MetadataTombstone;

/** The merged metadata of one subject: the winning change per dotted key, tombstones included. */
export type MetadataState = ReadonlyMap<string, MetadataChange>;

export function isMetadataTombstone(change: MetadataChange): change is MetadataTombstone {
  return change.value === null;
}

/**
 * Orders two changes of the same key by precedence: positive when `a` wins over `b`. Later
 * timestamp wins; at equal timestamps a tombstone wins over a value (a delete and a write in the
 * same millisecond delete), then the greater valueType (schema order) and the greater value
 * (UTF-16 order) win: arbitrary, but the same everywhere, which is what order-independence needs.
 */
export function compareMetadataChanges(a: MetadataChange, b: MetadataChange): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.value === null || b.value === null) return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0);
  const typeOrder = valueTypeRank(a.valueType) - valueTypeRank(b.valueType);
  if (typeOrder !== 0) return typeOrder;
  return a.value === b.value ? 0 : a.value < b.value ? -1 : 1;
}

/**
 * `base` with `changes` merged in (the winner per key by `compareMetadataChanges`). Pure: `base`
 * is not modified; when no change wins, `base` itself is returned, so `result !== base` tells a
 * caller there is something new to emit. All changes must belong to one subject.
 * @param base the state so far; default empty.
 * @throws TypeError when a timestamp is not a finite number.
 */
export function mergeMetadata(changes: Iterable<MetadataChange>, base: MetadataState = new Map()): MetadataState {
  let merged: Map<string, MetadataChange> | undefined;
  for (const change of changes) {
    if (!Number.isFinite(change.timestamp)) {
      throw new TypeError(`metadata ${JSON.stringify(change.key)}: timestamp must be a finite number`);
    }
    const current = (merged ?? base).get(change.key);
    if (current !== undefined && compareMetadataChanges(change, current) <= 0) continue;
    merged ??= new Map(base);
    merged.set(change.key, change);
  }
  return merged ?? base;
}

function valueTypeRank(valueType: MetadataValueType): number {
  // An unknown symbol (from a newer writer) ranks above the known ones, consistently.
  const rank = METADATA_VALUE_TYPE_SYMBOLS.indexOf(valueType);
  return rank < 0 ? METADATA_VALUE_TYPE_SYMBOLS.length : rank;
}
