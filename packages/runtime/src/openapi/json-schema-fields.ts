/**
 * JSON Schema (as the OpenAPI document holds it) shown as markdown tables: an object's fields
 * flattened to dotted names, and a schema's type in one short phrase (`string (1–64 chars)`).
 */
import type { OpenApiDocument } from './build-openapi-document.js';

export type Schema = Record<string, unknown>;

const JSON_KINDS = ['array', 'boolean', 'null', 'number', 'object', 'string'];
/** Nesting shown at most; deeper schemas read `any`. */
const MAX_DEPTH = 8;

export interface FieldRow {
  name: string;
  type: string;
  required: string;
  description: string;
}

/** The fields of an object schema, nested objects flattened to dotted names (`items[].id`). */
export function fieldRows(document: OpenApiDocument | undefined, root: Schema, schema: Schema, prefix: string, depth: number): FieldRow[] {
  const object = objectWithProperties(document, root, schema);
  if (object === undefined || depth > MAX_DEPTH) return [];
  const required = new Set(Array.isArray(object.required) ? (object.required as string[]) : []);
  const rows: FieldRow[] = [];
  for (const [name, raw] of Object.entries(object.properties as Record<string, Schema>)) {
    const field = resolve(document, root, raw);
    const isRequired = required.has(name) ? 'yes' : field.default === undefined ? 'no' : `no, default \`${JSON.stringify(field.default)}\``;
    rows.push({ name: `${prefix}${name}`, type: typeOf(document, root, field, 0), required: isRequired, description: String(field.description ?? raw.description ?? '') });
    const items = field.type === 'array' ? resolve(document, root, asSchema(field.items)) : undefined;
    if (items !== undefined) rows.push(...fieldRows(document, root, items, `${prefix}${name}[].`, depth + 1));
    else rows.push(...fieldRows(document, root, field, `${prefix}${name}.`, depth + 1));
  }
  return rows;
}

/** The object (with properties) a schema is, or is the one non-null member of; else undefined. */
function objectWithProperties(document: OpenApiDocument | undefined, root: Schema, schema: Schema): Schema | undefined {
  if (typeof schema.properties === 'object' && schema.properties !== null) return schema;
  const members = alternatives(schema)?.map((m) => resolve(document, root, m)).filter((m) => m.type !== 'null');
  return members?.length === 1 ? objectWithProperties(document, root, members[0]!) : undefined;
}

/** A short type: `string \| null`, `integer (1–1000)`, `` `a` \| `b` ``, `object[]`, `any JSON`. */
export function typeOf(document: OpenApiDocument | undefined, root: Schema, raw: Schema, depth: number): string {
  const schema = resolve(document, root, raw);
  if (depth > MAX_DEPTH) return 'any';
  if ('const' in schema) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``).join(' \\| ');
  const members = alternatives(schema);
  if (members !== undefined) {
    const kinds = new Set(members.map((m) => resolve(document, root, m).type).filter((t) => typeof t === 'string'));
    if (JSON_KINDS.every((k) => kinds.has(k))) return 'any JSON';
    return [...new Set(members.map((m) => typeOf(document, root, m, depth + 1)))].join(' \\| ');
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0) return 'any';
  return types.map((t) => single(document, root, schema, t, depth)).join(' \\| ');
}

function single(document: OpenApiDocument | undefined, root: Schema, schema: Schema, type: string, depth: number): string {
  switch (type) {
    case 'array': {
      // An item's own constraints (`string (non-empty)`) would clutter the cell: the type is enough.
      const item = typeOf(document, root, asSchema(schema.items), depth + 1).replace(/^(\w+) \([^()]*\)$/, '$1');
      return item.includes(' ') ? `(${item})[]` : `${item}[]`;
    }
    case 'object': {
      if (schema.properties !== undefined) return 'object';
      const values = asSchema(schema.additionalProperties);
      return Object.keys(values).length === 0 ? 'object' : `map of ${typeOf(document, root, values, depth + 1)}`;
    }
    case 'string': {
      const format = typeof schema.format === 'string' ? ` (${schema.format})` : '';
      const length = range(schema, 'length');
      const text = length === '' ? '' : length === '≥ 1' ? 'non-empty' : `${length} chars`;
      return `string${format}${text === '' ? '' : ` (${text})`}`;
    }
    case 'integer':
    case 'number': {
      const bounds = range(schema, '');
      return bounds === '' ? type : `${type} (${bounds})`;
    }
    default:
      return type;
  }
}

/** `1–1000`, `≥ 0`, `≤ 64`, or '' (numbers with `kind` '', strings with `kind` 'length'). */
export function range(schema: Schema, kind: 'length' | ''): string {
  const min = kind === 'length' ? schema.minLength : schema.minimum;
  let max = kind === 'length' ? schema.maxLength : schema.maximum;
  if (max === Number.MAX_SAFE_INTEGER) max = undefined; // zod's int(): no real bound
  if (typeof min === 'number' && typeof max === 'number') return `${min}–${max}`;
  if (typeof min === 'number') return min === 0 && kind === '' ? '≥ 0' : min === 0 ? '' : `≥ ${min}`;
  if (typeof max === 'number') return `≤ ${max}`;
  return '';
}

function alternatives(schema: Schema): Schema[] | undefined {
  const list = schema.anyOf ?? schema.oneOf;
  return Array.isArray(list) ? (list as Schema[]) : undefined;
}

/** Follows a local `$ref` (into the schema's `$defs` or the document's components). */
export function resolve(document: OpenApiDocument | undefined, root: Schema, schema: Schema, hops = 0): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || hops > MAX_DEPTH) return schema;
  const { $ref: _ref, ...rest } = schema;
  const pointer = ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const base: unknown = pointer[0] === '$defs' ? root : document;
  const target = pointer.reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], base);
  return typeof target === 'object' && target !== null ? { ...resolve(document, root, target as Schema, hops + 1), ...rest } : schema;
}

// ---------------------------------------------------------------------------------------------
// The document's shape

export function asSchema(value: unknown): Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {};
}
