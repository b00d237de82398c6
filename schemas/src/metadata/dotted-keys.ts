/**
 * Dotted keys ↔ nested documents. A subject's metadata is stored one attribute per record under
 * a dotted key (`contact.display_name`) and read as one nested JSON document
 * (`{ contact: { display_name } }`).
 *
 * Leaves are scalars, arrays (stored whole: never merged element-wise) and empty objects (kept
 * as a value, so `{ a: {} }` survives the round trip). A key segment is never empty and never
 * contains a dot; such keys are rejected rather than silently split into a different path.
 * With that rule `unflattenMetadata(flattenMetadata(doc))` equals `doc` for every JSON object.
 */
import { getOwn, isJsonObject, setOwn, type JsonObject, type JsonValue } from '../json-value.js';

/** One attribute: a dotted key and its (decoded) value. */
export interface MetadataField {
  key: string;
  value: JsonValue;
}

/**
 * Checks a dotted key: a non-empty string whose dot-separated segments are all non-empty.
 * @throws TypeError when not a string; RangeError when empty or with an empty segment.
 */
export function assertMetadataKey(key: string): void {
  if (typeof key !== 'string') throw new TypeError('a metadata key must be a string');
  if (key === '' || key.split('.').includes('')) {
    throw new RangeError(`metadata key ${JSON.stringify(key)} has an empty segment`);
  }
}

/**
 * The attributes of `document`, one per leaf, with dotted keys (under `prefix`, itself a dotted
 * key, when given: `metadata.upsert` writes under `user_data`). An empty document yields none.
 * @throws RangeError for an object key that is empty or contains a dot.
 */
export function flattenMetadata(document: JsonObject, prefix?: string): MetadataField[] {
  if (!isJsonObject(document)) throw new TypeError('a metadata document must be a JSON object');
  if (prefix !== undefined) assertMetadataKey(prefix);
  const fields: MetadataField[] = [];
  collect(document, prefix, fields);
  return fields;
}

/** Depth-first in key order, with an explicit stack: a deep document cannot overflow the call stack. */
function collect(object: JsonObject, path: string | undefined, into: MetadataField[]): void {
  const stack: { entries: [string, JsonValue][]; next: number; path: string | undefined }[] = [{ entries: Object.entries(object), next: 0, path }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.entries.length) {
      stack.pop();
      continue;
    }
    const [segment, value] = frame.entries[frame.next++]!;
    if (segment === '' || segment.includes('.')) {
      throw new RangeError(`metadata key segment ${JSON.stringify(segment)} is empty or contains a dot`);
    }
    const key = frame.path === undefined ? segment : `${frame.path}.${segment}`;
    if (isJsonObject(value) && Object.keys(value).length > 0) stack.push({ entries: Object.entries(value), next: 0, path: key });
    else into.push({ key, value });
  }
}

/**
 * The nested document of `fields`, applied in order: a later field wins where paths conflict (a
 * scalar at `a` replaces an earlier object at `a`, and a later `a.b` turns a scalar at `a` into
 * `{ b }`; a later `a.b` under an object at `a` is added to it). Callers sort by time first
 * (`metadataDocument` does), so the newest write wins.
 */
export function unflattenMetadata(fields: Iterable<MetadataField>): JsonObject {
  const root: JsonObject = {};
  // Objects built here may be written to; an object value from `fields` is copied first, so the
  // caller's values are never changed.
  const owned = new WeakSet<JsonObject>([root]);
  for (const { key, value } of fields) {
    assertMetadataKey(key);
    const segments = key.split('.');
    const last = segments.pop()!;
    let node = root;
    for (const segment of segments) {
      const child = getOwn(node, segment);
      if (isJsonObject(child) && owned.has(child)) {
        node = child;
      } else {
        const created: JsonObject = {};
        if (isJsonObject(child)) for (const [k, v] of Object.entries(child)) setOwn(created, k, v);
        owned.add(created);
        setOwn(node, segment, created);
        node = created;
      }
    }
    setOwn(node, last, value);
  }
  return root;
}
