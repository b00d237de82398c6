/**
 * Building Metadata records: the write side of metadata. One upsert writes one record per leaf
 * of the given document, all with the same timestamp.
 */
import type { Metadata } from '../generated/records.js';
import type { JsonObject, JsonValue } from '../json-value.js';
import { assertMetadataKey, flattenMetadata } from './dotted-keys.js';
import { parseMetadataSubject } from './metadata-subject.js';
import { encodeMetadataValue } from './metadata-value.js';

export interface MetadataRecordOptions {
  /** `<namespace>:<id>`, see `metadataSubject`. */
  subject: string;
  /** Dotted key, e.g. `contact.display_name`. */
  key: string;
  value: JsonValue;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
}

export interface MetadataUpsertOptions {
  /** `<namespace>:<id>`, see `metadataSubject`. */
  subject: string;
  /** The attributes to set, nested; each leaf becomes one record. */
  document: JsonObject;
  /** Milliseconds since the Unix epoch, shared by all records of the upsert. */
  timestamp: number;
  /** Dotted key to write under, e.g. `user_data` for attributes set through the API; default none. */
  prefix?: string;
}

/**
 * One Metadata record.
 * @throws RangeError for a malformed subject or key, a non-finite number value, or a timestamp
 * that is not a non-negative safe integer.
 */
export function metadataRecord(options: MetadataRecordOptions): Metadata {
  const { subject, key, value, timestamp } = options;
  checkSubjectAndTime(subject, timestamp);
  assertMetadataKey(key);
  return { subject, key, ...encodeMetadataValue(value), timestamp };
}

/**
 * The Metadata records of an upsert: `document` flattened to dotted keys (under `prefix`), one
 * record per leaf, all stamped `timestamp`. Attributes not in `document` are left alone; deleting
 * one takes a tombstone.
 * @throws RangeError as `metadataRecord`, and for an object key that is empty or has a dot.
 */
export function metadataRecords(options: MetadataUpsertOptions): Metadata[] {
  const { subject, document, timestamp, prefix } = options;
  checkSubjectAndTime(subject, timestamp);
  return flattenMetadata(document, prefix).map(({ key, value }) => ({
    subject,
    key,
    ...encodeMetadataValue(value),
    timestamp,
  }));
}

function checkSubjectAndTime(subject: string, timestamp: number): void {
  if (parseMetadataSubject(subject) === undefined) {
    throw new RangeError(`subject must be <namespace>:<id>, got ${JSON.stringify(subject)}`);
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be milliseconds since the epoch (a non-negative integer), got ${timestamp}`);
  }
}
