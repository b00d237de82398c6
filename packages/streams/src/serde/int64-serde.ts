import { AbstractSerde } from './abstract-serde.js';
import { expectByteLength, serdeError } from './serde-error.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A 64-bit signed integer in 8 big-endian bytes, byte-compatible with Kafka's LongSerde.
 * Values are bigints: a JS number cannot hold every 64-bit integer exactly.
 */
export class Int64Serde extends AbstractSerde<bigint> {
  constructor() {
    super('int64');
  }

  protected _serialize(value: bigint, topic: string | undefined): Buffer {
    if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
      throw serdeError('STREAMS_SERDE_ENCODE', `Not a 64-bit bigint: ${String(value)}`, topic);
    }
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeBigInt64BE(value, 0);
    return bytes;
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): bigint {
    expectByteLength(bytes, 8, topic);
    return bytes.readBigInt64BE(0);
  }
}
