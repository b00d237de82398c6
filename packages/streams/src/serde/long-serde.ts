import { AbstractSerde } from './abstract-serde.js';
import { expectByteLength, serdeError } from './serde-error.js';

/**
 * A 64-bit signed integer in 8 big-endian bytes, as a JS number: byte-compatible with Kafka's
 * LongSerde, limited to safe integers (|n| <= 2^53 - 1) so no value changes on the way. What
 * `count()` stores and emits; use `Serdes.int64()` for the full 64-bit range as bigints.
 */
export class LongSerde extends AbstractSerde<number> {
  constructor() {
    super('int64');
  }

  protected _serialize(value: number, topic: string | undefined): Buffer {
    if (!Number.isSafeInteger(value)) {
      throw serdeError('STREAMS_SERDE_ENCODE', `Not a safe integer: ${String(value)}`, topic);
    }
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeBigInt64BE(BigInt(value), 0);
    return bytes;
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): number {
    expectByteLength(bytes, 8, topic);
    const value = bytes.readBigInt64BE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw serdeError('STREAMS_SERDE_DECODE', `64-bit integer ${value} is not a safe JS number; use Serdes.int64()`, topic);
    }
    return Number(value);
  }
}
