import {
  COMMUNICATION_TOPICS,
  isMetadataTombstone,
  metadataId,
  metadataRecord,
  metadataRecords,
  metadataSubject,
  type JsonObject,
  type JsonValue,
  type Metadata,
  type MetadataNamespace,
} from '@parley/schemas';
import { appendRecords, nowOf, serdesOf, type CommandContext, type WriteResult } from './command-context.js';

/** One attribute to set, or to delete. */
export type MetadataWrite = { key: string; value: JsonValue } | { key: string; delete: true };

/** Conversation, message and channel metadata go to the metadata topic; contact metadata to contacts. */
function topicOf(subject: string): string {
  return subject.startsWith('contact:') ? COMMUNICATION_TOPICS.contacts.name : COMMUNICATION_TOPICS.metadata.name;
}

/**
 * Appends metadata changes of one subject, all stamped now: a value is a Metadata record under
 * `metadataId(subject, key)`, a deletion a tombstone under that key with the deletion time as
 * record timestamp (the read model merges it by that time).
 */
export async function writeMetadata(context: CommandContext, subject: string, writes: readonly MetadataWrite[]): Promise<WriteResult> {
  const timestamp = nowOf(context);
  const serde = serdesOf(context).metadata;
  const records = writes.map((write) => {
    const value = 'delete' in write ? null : serde.serialize(metadataRecord({ subject, key: write.key, value: write.value, timestamp }));
    return { key: metadataId(subject, write.key), value, timestamp };
  });
  return { offsets: await appendRecords(context, topicOf(subject), records) };
}

export interface UpsertMetadataOptions {
  namespace: MetadataNamespace;
  /** The entity's Parley id; its existence is not checked (metadata may arrive before it). */
  id: string;
  /** Nested attributes; each leaf becomes one record (arrays are leaves). */
  data: JsonObject;
  /** Dotted key to write under; default `user_data` (what API clients may set); null for none. */
  prefix?: string | null;
}

/** metadata.upsert: one Metadata record per leaf of `data`, all with the same timestamp. */
export async function upsertMetadata(context: CommandContext, options: UpsertMetadataOptions): Promise<WriteResult> {
  const subject = metadataSubject(options.namespace, options.id);
  const prefix = options.prefix === undefined ? 'user_data' : options.prefix;
  const timestamp = nowOf(context);
  const records: Metadata[] = metadataRecords({ subject, document: options.data, timestamp, ...(prefix === null ? {} : { prefix }) });
  const serde = serdesOf(context).metadata;
  const offsets = await appendRecords(
    context,
    topicOf(subject),
    records.map((record) => ({ key: metadataId(subject, record.key), value: serde.serialize(record), timestamp })),
  );
  return { offsets };
}

export interface RemoveMetadataOptions {
  namespace: MetadataNamespace;
  id: string;
  /** Dotted keys (under `prefix`) to delete, each with every attribute nested below it. */
  keys: readonly string[];
  /** Default `user_data`; null for none. */
  prefix?: string | null;
}

/**
 * Deletes attributes: a tombstone for each key and for every live attribute below it (deleting
 * `erp` also deletes `erp.id`), as the read model knows them now.
 */
export async function removeMetadata(context: CommandContext, options: RemoveMetadataOptions): Promise<WriteResult> {
  const subject = metadataSubject(options.namespace, options.id);
  const prefix = options.prefix === undefined ? 'user_data' : options.prefix;
  const state = context.readModel.metadataState(subject);
  const keys = new Set<string>();
  for (const key of options.keys) {
    const full = prefix === null ? key : `${prefix}.${key}`;
    keys.add(full);
    for (const change of state.values()) if (!isMetadataTombstone(change) && change.key.startsWith(`${full}.`)) keys.add(change.key);
  }
  return writeMetadata(context, subject, [...keys].map((key) => ({ key, delete: true as const })));
}
