import { fingerprintBytes } from './avro-fingerprint.js';
import { toAvroType, type AvroSchema, type AvroType, type AvroTypeOptions } from './avro-type.js';

export interface AvroSchemaRegistryOptions {
  /** Schemas (every version a topic may hold) to register right away. */
  schemas?: Iterable<AvroSchema>;
  /** avsc options used to parse the registered schemas (e.g. `logicalTypes`). */
  typeOptions?: AvroTypeOptions;
}

/**
 * An in-process registry of writer schemas, keyed by fingerprint (see `avroFingerprint`). Every
 * version of a schema that may still sit in a topic is registered here; an Avro serde looks up
 * the writer schema of each record by the fingerprint in its header and resolves it to its own
 * (reader) schema. One registry may hold many record types: fingerprints do not collide, and
 * reading a record of another type fails with STREAMS_SCHEMA_INCOMPATIBLE.
 *
 * Each version is parsed on its own, so v1 and v2 of record `User` never clash by name.
 */
export class AvroSchemaRegistry {
  readonly #types = new Map<string, AvroType>();
  readonly #typeOptions: AvroTypeOptions | undefined;

  constructor(options: AvroSchemaRegistryOptions = {}) {
    this.#typeOptions = options.typeOptions;
    for (const schema of options.schemas ?? []) this.register(schema);
  }

  /**
   * Registers a schema version and returns its fingerprint. Registering a schema whose canonical
   * form is already known is a no-op (the first type is kept): the bytes on the wire are the same.
   * @throws TypeError when the schema is not valid Avro.
   */
  register(schema: AvroSchema): string {
    return this.registerType(toAvroType(schema, this.#typeOptions));
  }

  /** @internal Registers an already parsed (and guarded) type; see `register`. */
  registerType(type: AvroType): string {
    const fingerprint = fingerprintBytes(type).toString('hex');
    if (!this.#types.has(fingerprint)) this.#types.set(fingerprint, type);
    return fingerprint;
  }

  /** The type registered under a fingerprint (16 hex digits), if any. */
  get(fingerprint: string): AvroType | undefined {
    return this.#types.get(fingerprint.toLowerCase());
  }

  has(fingerprint: string): boolean {
    return this.#types.has(fingerprint.toLowerCase());
  }

  /** Number of distinct schemas registered. */
  get size(): number {
    return this.#types.size;
  }

  /** Fingerprints of every registered schema, in registration order. */
  fingerprints(): string[] {
    return [...this.#types.keys()];
  }
}
