import type { Serde } from '../../serde/types.js';
import type { ValueAndTimestamp } from './typed-key-value-store.js';

/**
 * How a typed store turns its values into the bytes it keeps and the bytes it logs. Plain and
 * timestamped stores differ only here.
 */
export interface StoreValueCodec<TValue> {
  encode(value: TValue): Buffer;
  decode(bytes: Buffer): TValue;
  /** The changelog record's value for stored bytes. */
  toChangelog(stored: Buffer): Buffer;
  /** The changelog record's timestamp: the context's, or the value's own for timestamped stores. */
  changelogTimestamp(value: TValue, contextTimestampMs: number): number;
  /** Stored bytes for a changelog record (restoration). */
  fromChangelog(value: Buffer, timestampMs: number): Buffer;
}

export function plainValueCodec<TValue>(serde: Serde<TValue>): StoreValueCodec<TValue> {
  return {
    encode: (value) => serde.serialize(value),
    decode: (bytes) => serde.deserialize(bytes),
    toChangelog: (stored) => stored,
    changelogTimestamp: (_value, contextTimestampMs) => contextTimestampMs,
    fromChangelog: (value) => value,
  };
}

const TIMESTAMP_BYTES = 8;

/**
 * Kafka's timestamped format: an 8-byte big-endian timestamp followed by the value bytes. The
 * changelog holds the bare value with the timestamp as the record timestamp, as in Kafka, so a
 * changelog stays readable by anything that knows the value serde.
 */
export function timestampedValueCodec<TValue>(serde: Serde<TValue>): StoreValueCodec<ValueAndTimestamp<TValue>> {
  const withTimestamp = (value: Buffer, timestampMs: number): Buffer => {
    const out = Buffer.allocUnsafe(TIMESTAMP_BYTES + value.length);
    out.writeBigInt64BE(BigInt(timestampMs), 0);
    value.copy(out, TIMESTAMP_BYTES);
    return out;
  };
  return {
    encode: (v) => withTimestamp(serde.serialize(v.value), v.timestamp),
    decode: (bytes) => ({
      timestamp: Number(bytes.readBigInt64BE(0)),
      value: serde.deserialize(bytes.subarray(TIMESTAMP_BYTES)),
    }),
    toChangelog: (stored) => stored.subarray(TIMESTAMP_BYTES),
    changelogTimestamp: (v) => v.timestamp,
    fromChangelog: withTimestamp,
  };
}
