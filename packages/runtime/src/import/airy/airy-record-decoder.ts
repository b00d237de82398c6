/**
 * Decodes the values of one Airy topic. Each value names its writer schema by a schema-registry
 * id (see confluent-frame.ts). With Airy's registry at hand, a value is read with exactly the
 * schema its id names and then brought to the current shape. Without it, the value is read with
 * the current schema of its topic, then with the older versions the importer knows, and the
 * version that fitted a schema id is tried first for the next value with that id. Either way
 * the body must decode with no byte left over, and the result must be a valid current record.
 */
import { avroSerde, type AvroSchema, type AvroType } from '@parley/streams/avro';
import { readConfluentFrame } from './confluent-frame.js';

/** The writer schema registered under an id; undefined when the registry has none. */
export type WriterSchemaLookup = (schemaId: number) => Promise<object | undefined>;

export type Decoded = { value: unknown; schemaId: number } | { reason: string; detail?: string };

export interface AiryRecordDecoderOptions {
  /** The topic's current Airy schema. */
  schema: object;
  /** Older versions, tried in order when there is no registry. */
  legacy?: readonly object[];
  /** Brings a value of an older version to the current shape (fields added since take their defaults first). */
  upgrade?: (value: Record<string, unknown>) => Record<string, unknown>;
  lookup?: WriterSchemaLookup;
}

type Writer = { type: AvroType } | { reason: string };

export class AiryRecordDecoder {
  readonly #reader: AvroType;
  readonly #known: readonly AvroType[];
  readonly #defaults: ReadonlyArray<[string, unknown]>;
  readonly #upgrade: (value: Record<string, unknown>) => Record<string, unknown>;
  readonly #lookup: WriterSchemaLookup | undefined;
  readonly #writers = new Map<number, Writer>();
  readonly #name: string;

  constructor(options: AiryRecordDecoderOptions) {
    this.#reader = typeOf(options.schema);
    this.#known = [this.#reader, ...(options.legacy ?? []).map(typeOf)];
    const fields = (options.schema as { fields: Array<{ name: string; default?: unknown }> }).fields;
    this.#defaults = fields.filter((f) => 'default' in f).map((f) => [f.name, f.default]);
    this.#upgrade = options.upgrade ?? ((v) => v);
    this.#lookup = options.lookup;
    this.#name = this.#reader.name ?? 'record';
  }

  /** Looks up the writer schemas of ids not met yet (only with a registry); call before `decode` for each batch. */
  async prepare(values: ReadonlyArray<Buffer | null>): Promise<void> {
    if (this.#lookup === undefined) return;
    for (const value of values) {
      const id = value === null ? undefined : readConfluentFrame(value)?.schemaId;
      if (id === undefined || this.#writers.has(id)) continue;
      const schema = await this.#lookup(id);
      this.#writers.set(id, schema === undefined ? { reason: "schema id not in Airy's schema registry" } : parsedWriter(schema));
    }
  }

  decode(bytes: Buffer): Decoded {
    const frame = readConfluentFrame(bytes);
    if (frame === undefined) return { reason: 'not in the schema registry wire format (magic byte 0, schema id, Avro body)' };
    const known = this.#writers.get(frame.schemaId);
    if (this.#lookup !== undefined) {
      if (known === undefined || 'reason' in known) return { reason: known?.reason ?? "schema id not in Airy's schema registry", detail: `schema id ${frame.schemaId}` };
      return this.#decodeWith(known.type, bytes, frame);
    }
    const candidates = known !== undefined && 'type' in known ? [known.type, ...this.#known.filter((t) => t !== known.type)] : this.#known;
    let first: Decoded | undefined;
    for (const type of candidates) {
      const decoded = this.#decodeWith(type, bytes, frame);
      if ('value' in decoded) {
        this.#writers.set(frame.schemaId, { type });
        return decoded;
      }
      first ??= decoded;
    }
    return first!;
  }

  #decodeWith(type: AvroType, bytes: Buffer, frame: { schemaId: number; bodyOffset: number }): Decoded {
    const fail = (detail: string): Decoded => ({ reason: `does not decode as Airy's ${this.#name}`, detail: `schema id ${frame.schemaId}: ${detail}` });
    let decoded: { value: unknown; offset: number };
    try {
      decoded = type.decode(bytes, frame.bodyOffset);
    } catch (err) {
      return fail((err as Error).message);
    }
    if (decoded.offset < 0) return fail('truncated');
    if (decoded.offset !== bytes.length) return fail(`${bytes.length - decoded.offset} bytes left over`);
    const value = this.#upgrade({ ...Object.fromEntries(this.#defaults), ...(plain(decoded.value) as Record<string, unknown>) });
    if (!this.#reader.isValid(value)) return fail(`not a valid ${this.#name} of the current schema`);
    return { value, schemaId: frame.schemaId };
  }
}

function typeOf(schema: object): AvroType {
  return avroSerde(schema as AvroSchema).type;
}

function parsedWriter(schema: object): Writer {
  try {
    return { type: typeOf(schema) };
  } catch {
    return { reason: "schema in Airy's schema registry is not valid Avro" };
  }
}

/** avsc decodes records as instances of generated classes: plain objects compare and spread predictably. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
