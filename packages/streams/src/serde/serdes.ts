import { BytesSerde } from './bytes-serde.js';
import { Float64Serde } from './float64-serde.js';
import { Int32Serde } from './int32-serde.js';
import { Int64Serde } from './int64-serde.js';
import { JsonSerde } from './json-serde.js';
import { LongSerde } from './long-serde.js';
import { StringSerde, type StringSerdeOptions } from './string-serde.js';
import type { Serde } from './types.js';

/**
 * Factory of the built-in serdes, named after Kafka's `Serdes` class. Every serde passes `null`
 * through (tombstones, null keys) and throws StreamsError STREAMS_SERDE_ENCODE /
 * STREAMS_SERDE_DECODE (a TopicError when given the topic) on values or bytes it cannot handle.
 * Avro lives behind the `@parley/streams/avro` subpath, so the core never loads avsc.
 */
export const Serdes = {
  /** UTF-8 text; see StringSerdeOptions for `strict` (default false). */
  string(options?: StringSerdeOptions): Serde<string> {
    return new StringSerde(options);
  },
  /** JSON text in UTF-8. The type parameter is trusted, not checked. */
  json<T = unknown>(): Serde<T> {
    return new JsonSerde<T>();
  },
  /** Raw bytes, passed through without copying. */
  bytes(): Serde<Buffer> {
    return new BytesSerde();
  },
  /** 4-byte big-endian signed integer (Kafka's IntegerSerde). */
  int32(): Serde<number> {
    return new Int32Serde();
  },
  /** 8-byte big-endian signed integer as a bigint (Kafka's LongSerde). */
  int64(): Serde<bigint> {
    return new Int64Serde();
  },
  /** 8-byte big-endian signed integer as a JS number (safe integers only; Kafka's LongSerde bytes). `count()` uses it. */
  long(): Serde<number> {
    return new LongSerde();
  },
  /** 8-byte big-endian IEEE 754 double (Kafka's DoubleSerde). */
  float64(): Serde<number> {
    return new Float64Serde();
  },
} as const;
