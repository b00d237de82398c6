/**
 * Typed metadata values. A Metadata record holds its value as text plus a `valueType` saying how
 * to read it. Numbers are stored as JSON number text, so an integer reads back as the same
 * integer (Airy stored doubles and returned `42` as `42.0`).
 */
import type { MetadataValueType } from '../generated/records.js';
import { isJsonObject, type JsonValue } from '../json-value.js';

/** A value as a Metadata record stores it. */
export interface EncodedMetadataValue {
  value: string;
  valueType: MetadataValueType;
}

/**
 * The stored form of a JSON value: strings as TEXT, finite numbers as NUMBER (`-0` becomes `0`,
 * as in JSON), booleans as BOOLEAN (`true`/`false`), null as NULL (empty text), arrays as ARRAY
 * and objects as OBJECT (JSON text).
 * @throws RangeError for NaN or ±Infinity; TypeError for a value that is not JSON.
 */
export function encodeMetadataValue(value: JsonValue): EncodedMetadataValue {
  switch (typeof value) {
    case 'string':
      return { value, valueType: 'TEXT' };
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`metadata numbers must be finite, got ${value}`);
      return { value: JSON.stringify(value), valueType: 'NUMBER' };
    case 'boolean':
      return { value: String(value), valueType: 'BOOLEAN' };
    case 'object':
      if (value === null) return { value: '', valueType: 'NULL' };
      return { value: JSON.stringify(value), valueType: Array.isArray(value) ? 'ARRAY' : 'OBJECT' };
    default:
      throw new TypeError(`metadata values must be JSON, got ${typeof value}`);
  }
}

/**
 * The JSON value a stored value stands for. Lenient on purpose: a value that does not parse as
 * its valueType (or has a valueType this version does not know) is returned as its text, so one
 * bad record never stops a read model from building a subject's document.
 */
export function decodeMetadataValue(encoded: EncodedMetadataValue): JsonValue {
  const { value, valueType } = encoded;
  switch (valueType) {
    case 'NULL':
      return null;
    case 'BOOLEAN':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'NUMBER': {
      const parsed = parseJson(value);
      return typeof parsed === 'number' ? parsed : value;
    }
    case 'ARRAY': {
      const parsed = parseJson(value);
      return Array.isArray(parsed) ? parsed : value;
    }
    case 'OBJECT': {
      const parsed = parseJson(value);
      return isJsonObject(parsed) ? parsed : value;
    }
    default:
      return value;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
