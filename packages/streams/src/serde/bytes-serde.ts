import { AbstractSerde, asBuffer } from './abstract-serde.js';
import { serdeError } from './serde-error.js';

/**
 * Raw bytes, passed through without copying: the Buffer handed in is the Buffer handed out.
 * A Uint8Array is accepted and viewed as a Buffer over the same memory.
 */
export class BytesSerde extends AbstractSerde<Buffer> {
  constructor() {
    super('bytes');
  }

  protected _serialize(value: Buffer, topic: string | undefined): Buffer {
    const input: unknown = value;
    if (input instanceof Uint8Array) return asBuffer(input);
    throw serdeError('STREAMS_SERDE_ENCODE', `Expected a Buffer, got ${typeof value}`, topic);
  }

  protected _deserialize(bytes: Buffer): Buffer {
    return bytes;
  }
}
