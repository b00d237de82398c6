/**
 * Metadata records merge by their own timestamp (the latest wins, `compareMetadataChanges`), not
 * by arrival: a corrected attribute written with the timestamp of the record it corrects may lose
 * the tie-break to the wrong one. So what promote and rollback write as Metadata is stamped with
 * the time of the switch, and two Metadata records count as equal when they differ only in time.
 */
import { modelSerdes } from '@parley/communication';
import type { Metadata } from '@parley/schemas';

const serde = modelSerdes().metadata;
/** Avro single-object header of the Metadata schema (marker + fingerprint). */
const HEADER = serde.serialize({ subject: 'conversation:x', key: 'k', value: '', valueType: 'TEXT', timestamp: 0 }).subarray(0, 10);

function asMetadata(bytes: Buffer | null): Metadata | undefined {
  if (bytes === null || bytes.length < HEADER.length || !bytes.subarray(0, HEADER.length).equals(HEADER)) return undefined;
  try {
    return serde.deserialize(bytes);
  } catch {
    return undefined;
  }
}

/** Whether two stored values say the same (Metadata compared without its timestamp, anything else byte for byte). */
export function sameValue(a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  const [ma, mb] = [asMetadata(a), asMetadata(b)];
  if (ma === undefined || mb === undefined) return false;
  return ma.subject === mb.subject && ma.key === mb.key && ma.value === mb.value && ma.valueType === mb.valueType;
}

/** `value` to write at time `now` so it takes precedence: a Metadata record restamped, anything else as is. */
export function supersedingValue(value: Buffer | null, now: number): Buffer | null {
  const metadata = asMetadata(value);
  return metadata === undefined ? value : serde.serialize({ ...metadata, timestamp: Math.max(now, metadata.timestamp) });
}
