import { isUtf8 } from 'node:buffer';
import { AbstractSerde } from './abstract-serde.js';
import { serdeError } from './serde-error.js';

export interface StringSerdeOptions {
  /**
   * Refuse what UTF-8 cannot carry losslessly: bytes that are not valid UTF-8 when decoding
   * (STREAMS_SERDE_DECODE) and strings with lone surrogates when encoding
   * (STREAMS_SERDE_ENCODE). Default false: like Kafka's StringDeserializer, invalid
   * sequences become U+FFFD.
   */
  strict?: boolean;
}

/** UTF-8 text, as Kafka's StringSerde. A byte order mark is kept, never stripped. */
export class StringSerde extends AbstractSerde<string> {
  readonly #strict: boolean;

  constructor(options: StringSerdeOptions = {}) {
    super('string');
    this.#strict = options.strict ?? false;
  }

  protected _serialize(value: string, topic: string | undefined): Buffer {
    if (typeof value !== 'string') {
      throw serdeError('STREAMS_SERDE_ENCODE', `Expected a string, got ${typeof value}`, topic);
    }
    if (this.#strict && !isWellFormed(value)) {
      throw serdeError('STREAMS_SERDE_ENCODE', 'String has a lone surrogate', topic);
    }
    return Buffer.from(value, 'utf8');
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): string {
    if (this.#strict && !isUtf8(bytes)) {
      throw serdeError('STREAMS_SERDE_DECODE', 'Bytes are not valid UTF-8', topic);
    }
    return bytes.toString('utf8');
  }
}

// String.prototype.isWellFormed is ES2024 (Node 20 has it); the project's lib is ES2023.
function isWellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}
