import { AbstractSerde } from './abstract-serde.js';
import { serdeError } from './serde-error.js';

/**
 * JSON text in UTF-8. What JSON.stringify cannot write (a circular object, a BigInt, a bare
 * `undefined` or function) throws STREAMS_SERDE_ENCODE; bytes JSON.parse refuses throw
 * STREAMS_SERDE_DECODE. Nothing checks that the parsed value really is a `T`.
 */
export class JsonSerde<T> extends AbstractSerde<T> {
  constructor() {
    super('json');
  }

  protected _serialize(value: T, topic: string | undefined): Buffer {
    const text: string | undefined = JSON.stringify(value);
    if (text === undefined) {
      throw serdeError('STREAMS_SERDE_ENCODE', `JSON cannot represent a ${typeof value}`, topic);
    }
    return Buffer.from(text, 'utf8');
  }

  protected _deserialize(bytes: Buffer): T {
    return JSON.parse(bytes.toString('utf8')) as T;
  }
}
