import type { RecordHeaders } from '../log/types.js';

/**
 * One record flowing through a topology, after deserialization. Records are treated as
 * immutable: a processor that changes something forwards a new object (`{ ...record, value }`).
 *
 * Named `StreamRecord` rather than Kafka's `Record` so that importing it does not shadow
 * TypeScript's built-in `Record<K, V>` utility type.
 */
export interface StreamRecord<TKey, TValue> {
  readonly key: TKey;
  readonly value: TValue;
  /** Event time in milliseconds since the epoch, as given by the timestamp extractor. */
  readonly timestamp: number;
  /** Raw header bytes, carried from the input record to every record derived from it. */
  readonly headers: RecordHeaders;
}

/**
 * A record whose key cannot change: what `KStream.processValues` processors receive and forward.
 * The key of a forwarded fixed-key record is always reset to the key of the record being
 * processed, so a fixed-key processor can never cause a repartition.
 */
export type FixedKeyRecord<TKey, TValue> = StreamRecord<TKey, TValue>;
