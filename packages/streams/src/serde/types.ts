/** Turns values into bytes and back. `null` passes through as null (tombstones, null keys). */
export interface Serde<T> {
  serialize(value: T, topic?: string): Buffer;
  deserialize(bytes: Buffer, topic?: string): T;
  /** A stable fingerprint of the format (for Avro, of the writer schema); used in topology fingerprints. */
  readonly fingerprint?: string;
}
