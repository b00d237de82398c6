import { AbstractSerde } from '../../../serde/abstract-serde.js';
import { serdeError } from '../../../serde/serde-error.js';
import type { Serde } from '../../../serde/types.js';
import type { Change } from './change.js';

const HAS_NEW = 1;
const HAS_OLD = 2;
const HEADER_BYTES = 5;

/**
 * @internal How `KTable.groupBy` writes a (new value, old value) pair to its repartition topic,
 * so the aggregation on the other side can subtract the old value and add the new one:
 *
 *   [ flags: 1 byte (1 = has new, 2 = has old) ][ new value length: 4 bytes, big-endian ]
 *   [ new value bytes ][ old value bytes (the rest) ]
 */
export class ChangeSerde<TValue> extends AbstractSerde<Change<TValue>> {
  readonly #inner: Serde<TValue>;

  constructor(inner: Serde<TValue>) {
    super(`change(${inner.fingerprint ?? 'unknown'})`);
    this.#inner = inner;
  }

  protected _serialize(change: Change<TValue>, topic: string | undefined): Buffer {
    const newBytes = change.newValue === null ? undefined : this.#inner.serialize(change.newValue, topic);
    const oldBytes = change.oldValue === null ? undefined : this.#inner.serialize(change.oldValue, topic);
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt8((newBytes === undefined ? 0 : HAS_NEW) | (oldBytes === undefined ? 0 : HAS_OLD), 0);
    header.writeUInt32BE(newBytes?.length ?? 0, 1);
    return Buffer.concat([header, newBytes ?? Buffer.alloc(0), oldBytes ?? Buffer.alloc(0)]);
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): Change<TValue> {
    if (bytes.length < HEADER_BYTES) throw serdeError('STREAMS_SERDE_DECODE', 'A change record has at least 5 bytes', topic);
    const flags = bytes.readUInt8(0);
    const newLength = bytes.readUInt32BE(1);
    if (HEADER_BYTES + newLength > bytes.length) throw serdeError('STREAMS_SERDE_DECODE', 'A change record is shorter than its header says', topic);
    const newEnd = HEADER_BYTES + newLength;
    return {
      newValue: (flags & HAS_NEW) === 0 ? null : this.#inner.deserialize(bytes.subarray(HEADER_BYTES, newEnd), topic),
      oldValue: (flags & HAS_OLD) === 0 ? null : this.#inner.deserialize(bytes.subarray(newEnd), topic),
    };
  }
}
