import { isStreamsError } from '../errors.js';
import { serdeError } from './serde-error.js';
import type { Serde } from './types.js';

/**
 * Base class of every serde in @parley/streams (C4): it owns the parts each format would
 * otherwise repeat. `null` passes through untouched (tombstones and null keys, as the Serde
 * contract says); a Uint8Array that is not a Buffer is viewed as one without copying; and any
 * failure of a hook becomes a StreamsError with code STREAMS_SERDE_ENCODE or
 * STREAMS_SERDE_DECODE, the original error as `cause` and the topic when one was given.
 *
 * Subclasses override `_serialize` and `_deserialize`, which never see `null`. A hook may throw
 * its own StreamsError (built with `serdeError`) to pick a more precise code; it is rethrown
 * as is.
 */
export abstract class AbstractSerde<T> implements Serde<T> {
  /** A stable name of the format, recorded in topology fingerprints. */
  readonly fingerprint: string;

  protected constructor(fingerprint: string) {
    this.fingerprint = fingerprint;
  }

  serialize(value: T, topic?: string): Buffer {
    // The Serde contract passes null through; its declared return type cannot say so.
    if (value === null) return null as unknown as Buffer;
    try {
      return this._serialize(value, topic);
    } catch (err) {
      throw wrap(err, 'STREAMS_SERDE_ENCODE', 'Cannot encode value', topic);
    }
  }

  deserialize(bytes: Buffer, topic?: string): T {
    const input: unknown = bytes;
    if (input === null) return null as T;
    if (!(input instanceof Uint8Array)) {
      throw new TypeError(`deserialize expects a Buffer, got ${typeof input}`);
    }
    const buffer = asBuffer(input);
    try {
      return this._deserialize(buffer, topic);
    } catch (err) {
      throw wrap(err, 'STREAMS_SERDE_DECODE', 'Cannot decode bytes', topic);
    }
  }

  /** Encodes a non-null value; may throw anything (the base class wraps it). */
  protected abstract _serialize(value: T, topic: string | undefined): Buffer;

  /** Decodes non-null bytes; may throw anything (the base class wraps it). */
  protected abstract _deserialize(bytes: Buffer, topic: string | undefined): T;
}

/** @internal Views a Uint8Array as a Buffer over the same memory (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function wrap(
  err: unknown,
  code: 'STREAMS_SERDE_ENCODE' | 'STREAMS_SERDE_DECODE',
  what: string,
  topic: string | undefined,
): unknown {
  if (isStreamsError(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return serdeError(code, `${what}: ${reason}`, topic, err);
}
