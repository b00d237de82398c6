import { AbstractSerde } from './abstract-serde.js';
import { expectByteLength, serdeError } from './serde-error.js';

/**
 * An IEEE 754 double in 8 big-endian bytes, byte-compatible with Kafka's DoubleSerde.
 * NaN, the infinities and -0 round-trip.
 */
export class Float64Serde extends AbstractSerde<number> {
  constructor() {
    super('float64');
  }

  protected _serialize(value: number, topic: string | undefined): Buffer {
    if (typeof value !== 'number') {
      throw serdeError('STREAMS_SERDE_ENCODE', `Expected a number, got ${typeof value}`, topic);
    }
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeDoubleBE(value, 0);
    return bytes;
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): number {
    expectByteLength(bytes, 8, topic);
    return bytes.readDoubleBE(0);
  }
}
