import type { JsonObject } from '../json-value.js';
import { unflattenMetadata } from './dotted-keys.js';
import { isMetadataTombstone, type MetadataEntry, type MetadataState } from './metadata-merge.js';
import { decodeMetadataValue } from './metadata-value.js';

/**
 * The nested document of a subject's merged metadata: every live attribute decoded by its
 * valueType and placed at its dotted path; tombstones are left out. Attributes are applied
 * oldest first (then by key), so where paths conflict the newest write wins: a scalar set at
 * `contact` after `contact.name` replaces the object, and the other way round.
 */
export function metadataDocument(state: MetadataState): JsonObject {
  const live: MetadataEntry[] = [];
  for (const change of state.values()) if (!isMetadataTombstone(change)) live.push(change);
  live.sort((a, b) => a.timestamp - b.timestamp || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return unflattenMetadata(live.map((entry) => ({ key: entry.key, value: decodeMetadataValue(entry) })));
}
