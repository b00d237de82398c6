import type { JsonValue } from '@parley/schemas';
import type { IndexedConversation } from './conversation-index.js';

/** How many metadata keys get a posting list at once (the least recently queried is dropped). */
const MAX_METADATA_KEYS = 32;

/** The posting key of a metadata value a filter can match, or undefined for objects and arrays. */
export function metadataValueKey(value: JsonValue | undefined): string | undefined {
  if (value === undefined || (value !== null && typeof value === 'object')) return undefined;
  // Scalars match their text (a filter '42' finds 42), so they share a key; null is apart.
  return value === null ? '\u0001null' : `\u0000${String(value)}`;
}

/** The posting keys of a conversation's structured fields: channel, source, tags, state. */
function fieldKeys(row: IndexedConversation): string[] {
  const keys = [`channel\u0000${row.channelId}`, `source\u0000${row.source}`];
  for (const tag of row.tagIds) keys.push(`tag\u0000${tag}`);
  if (row.state !== undefined) keys.push(`state\u0000${String(row.state)}`);
  return keys;
}

export const postingKey = {
  channel: (id: string) => `channel\u0000${id}`,
  source: (source: string) => `source\u0000${source}`,
  tag: (id: string) => `tag\u0000${id}`,
  state: (state: string) => `state\u0000${state}`,
};

/**
 * Posting lists: for each value of a filterable field, the conversations that have it. They let
 * a selective filter (a tag, a channel, a metadata value) look at its few candidates instead of
 * scanning every conversation. Channel, source, tags and state are always indexed; a metadata
 * key is indexed when first queried (one scan), then kept current, for the 32 most recently
 * queried keys.
 */
export class PostingLists {
  readonly #fields = new Map<string, Set<IndexedConversation>>();
  readonly #metadata = new Map<string, Map<string, Set<IndexedConversation>>>();

  add(row: IndexedConversation): void {
    for (const key of fieldKeys(row)) addTo(this.#fields, key, row);
    for (const [metadataKey, values] of this.#metadata) {
      const valueKey = metadataValueKey(row.fields.get(metadataKey));
      if (valueKey !== undefined) addTo(values, valueKey, row);
    }
  }

  delete(row: IndexedConversation): void {
    for (const key of fieldKeys(row)) deleteFrom(this.#fields, key, row);
    for (const [metadataKey, values] of this.#metadata) {
      const valueKey = metadataValueKey(row.fields.get(metadataKey));
      if (valueKey !== undefined) deleteFrom(values, valueKey, row);
    }
  }

  field(key: string): ReadonlySet<IndexedConversation> | undefined {
    return this.#fields.get(key);
  }

  /** The conversations whose metadata at `key` has posting key `valueKey`; builds the key's lists on first use from `rows`. */
  metadata(key: string, valueKey: string, rows: readonly IndexedConversation[]): ReadonlySet<IndexedConversation> | undefined {
    let values = this.#metadata.get(key);
    if (values === undefined) {
      values = new Map();
      for (const row of rows) {
        const rowValueKey = metadataValueKey(row.fields.get(key));
        if (rowValueKey !== undefined) addTo(values, rowValueKey, row);
      }
      if (this.#metadata.size >= MAX_METADATA_KEYS) this.#metadata.delete(this.#metadata.keys().next().value!);
    } else {
      this.#metadata.delete(key);
    }
    this.#metadata.set(key, values);
    return values.get(valueKey);
  }
}

function addTo(map: Map<string, Set<IndexedConversation>>, key: string, row: IndexedConversation): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(row);
}

function deleteFrom(map: Map<string, Set<IndexedConversation>>, key: string, row: IndexedConversation): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(row);
  if (set.size === 0) map.delete(key);
}
