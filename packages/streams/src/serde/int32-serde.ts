import { AbstractSerde } from './abstract-serde.js';
import { expectByteLength, serdeError } from './serde-error.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** A 32-bit signed integer in 4 big-endian bytes, byte-compatible with Kafka's IntegerSerde. */
export class Int32Serde extends AbstractSerde<number> {
  constructor() {
    super('int32');
  }

  protected _serialize(value: number, topic: string | undefined): Buffer {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
      throw serdeError('STREAMS_SERDE_ENCODE', `Not a 32-bit integer: ${String(value)}`, topic);
    }
    const bytes = Buffer.allocUnsafe(4);
    bytes.writeInt32BE(value, 0);
    return bytes;
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): number {
    expectByteLength(bytes, 4, topic);
    return bytes.readInt32BE(0);
  }
}
