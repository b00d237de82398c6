import { modelSerdes } from '@parley/communication';

/** How a key or value is shown: Avro records as their JSON, JSON text parsed, other UTF-8 text as a string, anything else base64. */
export type Encoding = 'null' | 'avro' | 'json' | 'string' | 'base64';

export interface DecodedBytes {
  encoding: Encoding;
  /** The decoded form: a JSON value for avro and json, a string for string and base64, null for null. */
  data: unknown;
  /** Avro only: the writer schema's full name (`parley.Message`). */
  schema?: string;
}

/** Avro single-object encoding: C3 01, then the 8-byte schema fingerprint. */
const AVRO_MARKER = [0xc3, 0x01] as const;
const AVRO_HEADER = 10;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the bytes of any topic without knowing its serdes: every writer schema of the
 * messaging model is in one registry, and an Avro record names its schema by fingerprint, so
 * model records come out as JSON and raw provider payloads (JSON text) as JSON.
 */
export class RecordCodec {
  readonly #registry = modelSerdes().registry;

  decode(bytes: Buffer | null): DecodedBytes {
    if (bytes === null) return { encoding: 'null', data: null };
    const avro = this.#decodeAvro(bytes);
    if (avro !== undefined) return avro;
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return { encoding: 'base64', data: bytes.toString('base64') };
    }
    try {
      return { encoding: 'json', data: JSON.parse(text) as unknown };
    } catch {
      return { encoding: 'string', data: text };
    }
  }

  #decodeAvro(bytes: Buffer): DecodedBytes | undefined {
    if (bytes.length < AVRO_HEADER || bytes[0] !== AVRO_MARKER[0] || bytes[1] !== AVRO_MARKER[1]) return undefined;
    const type = this.#registry.get(bytes.subarray(2, AVRO_HEADER).toString('hex'));
    if (type === undefined) return undefined;
    try {
      const { value, offset } = type.decode(bytes, AVRO_HEADER);
      if (offset !== bytes.length) return undefined;
      return { encoding: 'avro', data: plainJson(value), schema: type.name ?? 'avro' };
    } catch {
      return undefined;
    }
  }
}

/** An avsc value as plain JSON: bytes fields become base64 strings, record instances plain objects. */
function plainJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(plainJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]));
  return value;
}

/** Bytes from a produce request: a string as UTF-8, any other JSON value as its JSON text, base64 when asked. */
export function encodeInput(value: unknown, base64: boolean): Buffer | null {
  if (value === null || value === undefined) return null;
  if (base64) return Buffer.from(String(value), 'base64');
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}
