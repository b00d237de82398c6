import type { JsonSchema } from '../shared/openapi.js';

/**
 * A route's request schema (from /openapi.json) as form fields. Only flat requests of strings,
 * numbers, booleans and enums can be asked for generically: an optional field of another shape is
 * left out, a required one makes the request `unsupported`, and that provider needs a form of its own (see registry.ts).
 */
export type FieldKind = 'text' | 'secret' | 'url' | 'number' | 'checkbox' | 'select';

/** Text fields whose name says they hold a credential: typed into a password input, never echoed on screen. */
const SECRET_NAME = /(^|_)(token|secret|password)$/;

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description: string | undefined;
  options: string[];
  minLength: number | undefined;
  maxLength: number | undefined;
  integer: boolean;
}

export type RequestFields = { supported: true; fields: FormField[] } | { supported: false; field: string };

/** The fields of `request`, but those in `omit` (given by the caller, not asked for). */
export function requestFields(request: JsonSchema, omit: ReadonlySet<string> = new Set()): RequestFields {
  const properties = Object.entries(request.properties ?? {});
  // Another name for a field (`x-alias-of`, Airy's names): not asked for, and the field it names is
  // then required (the route wants exactly one of the two).
  const aliased = new Set(properties.flatMap(([, schema]) => (schema['x-alias-of'] === undefined ? [] : [schema['x-alias-of']])));
  const required = new Set([...(request.required ?? []), ...aliased]);
  const fields: FormField[] = [];
  for (const [name, schema] of properties) {
    if (omit.has(name) || schema['x-alias-of'] !== undefined) continue;
    const plain = fieldKind(schema);
    // An optional field the form cannot ask for (nested metadata) is left out of the request.
    if (plain === undefined && !required.has(name)) continue;
    if (plain === undefined) return { supported: false, field: name };
    const kind = plain === 'text' && SECRET_NAME.test(name) ? 'secret' : plain;
    fields.push({
      name,
      label: humanize(name),
      kind,
      required: required.has(name),
      description: schema.description,
      options: kind === 'select' ? enumOf(schema).map(String) : [],
      minLength: schema.minLength,
      maxLength: schema.maxLength,
      integer: schema.type === 'integer',
    });
  }
  return { supported: true, fields };
}

function enumOf(schema: JsonSchema): unknown[] {
  return schema.enum ?? schema.anyOf?.find((option) => option.enum !== undefined)?.enum ?? [];
}

function fieldKind(schema: JsonSchema): FieldKind | undefined {
  // A nullable field (`anyOf: [X, {type: "null"}]`): the form leaves it out when empty.
  const nonNull = schema.anyOf?.filter((option) => option.type !== 'null');
  if (nonNull !== undefined) return nonNull.length === 1 ? fieldKind({ ...nonNull[0], description: schema.description }) : undefined;
  if (schema.enum !== undefined && schema.enum.every((v) => typeof v === 'string')) return 'select';
  switch (schema.type) {
    case 'string':
      return schema.format === 'uri' ? 'url' : 'text';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'checkbox';
    default:
      return undefined;
  }
}

/** `agent_id` → `Agent ID`, `image_url` → `Image URL`. */
export function humanize(name: string): string {
  const words = name.split('_').map((word) => (word === 'url' || word === 'id' ? word.toUpperCase() : word));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The request body from the form's values: empty optional fields are left out, numbers parsed,
 * checkboxes sent as booleans.
 */
export function requestBody(fields: readonly FormField[], values: Record<string, string | boolean>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'checkbox') {
      if (value === true || field.required) body[field.name] = value === true;
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') continue;
    body[field.name] = field.kind === 'number' ? Number(value) : value.trim();
  }
  return body;
}
