import { AbstractSerde } from '../abstract-serde.js';
import { serdeError } from '../serde-error.js';
import { fingerprintBytes } from './avro-fingerprint.js';
import { AvroSchemaRegistry } from './avro-schema-registry.js';
import { toAvroType, type AvroSchema, type AvroType, type AvroTypeOptions } from './avro-type.js';
import {
  FINGERPRINT_OFFSET,
  HEADER_LENGTH,
  hasHeader,
  readFingerprintHex,
  writeHeader,
} from './single-object-encoding.js';

export interface AvroSerdeOptions {
  /**
   * Writer schemas this serde can read. The serde registers its own schema in it. Default: a
   * private registry holding only this serde's schema (records written by other versions then
   * fail with STREAMS_SERDE_DECODE, unknown fingerprint).
   */
  registry?: AvroSchemaRegistry;
  /** avsc options for parsing `schema` (e.g. `logicalTypes`, `wrapUnions`). */
  typeOptions?: AvroTypeOptions;
}

type Resolver = ReturnType<AvroType['createResolver']>;
/** A writer schema that cannot be read as the reader schema, remembered with avsc's reason. */
class Incompatible {
  constructor(readonly reason: unknown) {}
}

/** First encode buffer size, in bytes; it doubles as needed. */
const INITIAL_SCRATCH = 1024;
/** Records larger than this are encoded straight into their own buffer, not the reused one. */
const MAX_SCRATCH = 64 * 1024;

/**
 * Avro with schema evolution. Values are written in Avro's single-object encoding (see
 * single-object-encoding.ts): a 10-byte header with the writer schema's fingerprint, then the
 * Avro binary body. On read, a record written with this serde's schema decodes directly; one
 * written with another registered version goes through avsc's resolver (added fields take their
 * defaults, removed fields are skipped, int→long/float/double and other promotions apply). The
 * resolver for each writer fingerprint is built once and cached.
 *
 * Errors: bytes without the header, truncated or with trailing bytes, or with a fingerprint
 * the registry does not know throw STREAMS_SERDE_DECODE; a known writer schema that cannot be
 * resolved to the reader schema throws STREAMS_SCHEMA_INCOMPATIBLE; a value that does not
 * match the schema throws STREAMS_SERDE_ENCODE.
 */
export class AvroSerde<T> extends AbstractSerde<T> {
  /** The reader (and writer) type of this serde. */
  readonly type: AvroType;
  readonly registry: AvroSchemaRegistry;
  // The fingerprint as two little-endian uint32 halves, compared without allocating.
  readonly #fingerprintLow: number;
  readonly #fingerprintHigh: number;
  readonly #header: Buffer;
  readonly #resolvers = new Map<string, Resolver | Incompatible>();
  #scratch: Buffer | undefined;

  constructor(schema: AvroSchema, options: AvroSerdeOptions = {}) {
    const type = toAvroType(schema, options.typeOptions);
    const fingerprint = fingerprintBytes(type);
    super(fingerprint.toString('hex'));
    this.type = type;
    this.registry = options.registry ?? new AvroSchemaRegistry();
    this.registry.registerType(type);
    this.#fingerprintLow = fingerprint.readUInt32LE(0);
    this.#fingerprintHigh = fingerprint.readUInt32LE(4);
    this.#header = Buffer.alloc(HEADER_LENGTH);
    writeHeader(this.#header, fingerprint);
  }

  protected _serialize(value: T): Buffer {
    let scratch = this.#scratch ?? this.#newScratch(INITIAL_SCRATCH);
    let end = this.type.encode(value, scratch, HEADER_LENGTH);
    if (end < 0) {
      // avsc returns minus the number of missing bytes when the buffer is too small.
      const size = scratch.length - end;
      if (size > MAX_SCRATCH) return this.#encodeExact(value, size);
      scratch = this.#newScratch(nextPowerOfTwo(size));
      end = this.type.encode(value, scratch, HEADER_LENGTH);
    }
    const bytes = Buffer.allocUnsafe(end);
    scratch.copy(bytes, 0, 0, end);
    return bytes;
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): T {
    if (!hasHeader(bytes)) {
      throw serdeError(
        'STREAMS_SERDE_DECODE',
        `Not Avro single-object encoded (need the C3 01 marker and an 8-byte fingerprint; got ${bytes.length} bytes)`,
        topic,
      );
    }
    const resolver = this.#isOwnFingerprint(bytes) ? undefined : this.#resolverFor(bytes, topic);
    const { value, offset } = this.type.decode(bytes, HEADER_LENGTH, resolver);
    if (offset < 0) throw serdeError('STREAMS_SERDE_DECODE', 'Truncated Avro record', topic);
    if (offset !== bytes.length) {
      const trailing = bytes.length - offset;
      throw serdeError('STREAMS_SERDE_DECODE', `${trailing} trailing bytes after the Avro record`, topic);
    }
    return value as T;
  }

  #isOwnFingerprint(bytes: Buffer): boolean {
    return (
      bytes.readUInt32LE(FINGERPRINT_OFFSET) === this.#fingerprintLow &&
      bytes.readUInt32LE(FINGERPRINT_OFFSET + 4) === this.#fingerprintHigh
    );
  }

  #resolverFor(bytes: Buffer, topic: string | undefined): Resolver {
    const fingerprint = readFingerprintHex(bytes);
    let cached = this.#resolvers.get(fingerprint);
    if (cached === undefined) {
      const writer = this.registry.get(fingerprint);
      if (writer === undefined) {
        // Not cached: the schema may be registered later.
        throw serdeError('STREAMS_SERDE_DECODE', `Unknown writer schema fingerprint ${fingerprint}`, topic);
      }
      try {
        cached = this.type.createResolver(writer);
      } catch (reason) {
        cached = new Incompatible(reason);
      }
      this.#resolvers.set(fingerprint, cached);
    }
    if (cached instanceof Incompatible) {
      const why = cached.reason instanceof Error ? cached.reason.message : String(cached.reason);
      throw serdeError(
        'STREAMS_SCHEMA_INCOMPATIBLE',
        `Writer schema ${fingerprint} cannot be read as schema ${this.fingerprint}: ${why}`,
        topic,
        cached.reason,
      );
    }
    return cached;
  }

  #newScratch(size: number): Buffer {
    const scratch = Buffer.allocUnsafe(size);
    this.#header.copy(scratch, 0);
    this.#scratch = scratch;
    return scratch;
  }

  #encodeExact(value: T, size: number): Buffer {
    const bytes = Buffer.allocUnsafe(size);
    this.#header.copy(bytes, 0);
    this.type.encode(value, bytes, HEADER_LENGTH);
    return bytes;
  }
}

/** Creates an AvroSerde; see AvroSerde for the wire format, evolution and errors. */
export function avroSerde<T>(schema: AvroSchema, options?: AvroSerdeOptions): AvroSerde<T> {
  return new AvroSerde<T>(schema, options);
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}
