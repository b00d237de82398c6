/**
 * fast-check arbitraries of hostile requests for one operation of the OpenAPI document: bodies
 * derived from the operation's request schema and example (wrong types, missing and extra
 * fields, huge and deeply nested values, lone surrogates and other Unicode edge cases,
 * `__proto__` keys, invalid JSON), wrong content types and encodings, and bad tokens.
 */
import fc from 'fast-check';

/** A JSON Schema node, as far as the generators read it. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/** One request to send: the body's bytes (or text), extra headers, and which token to use. */
export interface FuzzRequest {
  /** What was generated, for the failure message. */
  label: string;
  body: string | Buffer | undefined;
  headers: Record<string, string>;
  /** `valid`: the operation's own token; anything else is sent as is (null: no header). */
  token: 'valid' | string | null;
}

/** `leaf` inside `levels` arrays, built without recursion. */
export function nested(levels: number, leaf: unknown = 0): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
}

const unicodeEdges = fc.constantFrom(
  '\ud800',
  'a\udfffb',
  '\udbff\udbff',
  '\u0000',
  '\ufeff',
  '\uffff',
  '\ufffe',
  '\u202e',
  'e\u0301',
  '😀',
  '\ud83d\ude00',
  '',
  ' ',
  '.',
  'a.b',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '%00',
  '\r\nX-Injected: 1',
);

/** Strings a validator may not expect: edge cases, random Unicode, and a long one now and then. */
const hostileString = fc.oneof(
  { weight: 4, arbitrary: unicodeEdges },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** Values of any JSON type, including deep, wide and odd ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER) },
  { weight: 2, arbitrary: fc.integer({ min: 60, max: 3000 }).map((n) => nested(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 50_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 5 }) },
);

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;

/** A value whose JSON type is none of the types `schema` allows. */
function wrongTypeFor(schema: SchemaNode | undefined): fc.Arbitrary<unknown> {
  const allowed = new Set<string>([schema?.type ?? [], ...(schema?.anyOf ?? []).map((s) => s.type ?? [])].flat());
  if (allowed.has('number')) allowed.add('integer');
  const samples: Record<(typeof JSON_TYPES)[number], fc.Arbitrary<unknown>> = {
    string: hostileString,
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    integer: fc.integer(),
    boolean: fc.boolean(),
    object: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    null: fc.constant(null),
  };
  const wrong = JSON_TYPES.filter((t) => !allowed.has(t) && !(t === 'integer' && allowed.has('number')));
  return wrong.length === 0 ? hostileValue : fc.oneof(...wrong.map((t) => samples[t]));
}

/** Every path into `value` (objects and arrays), the root included. */
function pathsOf(value: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    out.push(item.path);
    if (Array.isArray(item.value)) item.value.forEach((v, i) => stack.push({ value: v, path: [...item.path, i] }));
    else if (typeof item.value === 'object' && item.value !== null) for (const [k, v] of Object.entries(item.value)) stack.push({ value: v, path: [...item.path, k] });
  }
  return out;
}

/**
 * JSON text of `base` with the value at `path` replaced (or, with `extraKey`, a key added to the
 * object at `path`). Written as text so a `__proto__` key is sent as an own key, not a prototype.
 */
function textWith(base: unknown, path: readonly (string | number)[], value: unknown, extraKey?: string): string {
  const write = (node: unknown, depth: number): string => {
    if (depth === path.length) {
      if (extraKey === undefined) return JSON.stringify(value) ?? 'null';
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return JSON.stringify(value) ?? 'null';
      const entries = Object.entries(node).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
      return `{${[...entries, `${JSON.stringify(extraKey)}:${JSON.stringify(value)}`].join(',')}}`;
    }
    const step = path[depth]!;
    if (Array.isArray(node)) return `[${node.map((v, i) => (i === step ? write(v, depth + 1) : JSON.stringify(v))).join(',')}]`;
    const record = node as Record<string, unknown>;
    return `{${Object.entries(record)
      .map(([k, v]) => `${JSON.stringify(k)}:${k === step ? write(v, depth + 1) : JSON.stringify(v)}`)
      .join(',')}}`;
  };
  return write(base, 0);
}

const json: Record<string, string> = { 'content-type': 'application/json' };

/** Hostile requests for an operation with request schema `schema` and a valid `example` body. */
export function hostileRequests(schema: SchemaNode, example: unknown, bodyLimitBytes: number): fc.Arbitrary<FuzzRequest> {
  const base = example ?? {};
  const paths = pathsOf(base);
  const properties = Object.entries(schema.properties ?? {});
  const required = schema.required ?? [];
  const exampleText = JSON.stringify(base);

  const bodies: fc.Arbitrary<FuzzRequest>[] = [
    // A value anywhere in the example replaced by anything.
    fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, value]) => ({ label: `value at ${path.join('.') || 'root'}`, body: textWith(base, path, value), headers: json, token: 'valid' })),
    // An extra key, `__proto__` and friends included, into any object of the example.
    fc
      .tuple(fc.constantFrom(...paths), fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '\ud800', ''), fc.string()), hostileValue)
      .map(([path, key, value]) => ({ label: `extra key ${JSON.stringify(key)} at ${path.join('.') || 'root'}`, body: textWith(base, path, value, key), headers: json, token: 'valid' })),
    // Invalid JSON, roots that are not objects, an empty or oversized body, very deep nesting.
    fc
      .constantFrom(
        exampleText.slice(0, Math.max(1, exampleText.length - 1)),
        `${exampleText}x`,
        "{'a': 1}",
        '{"a":NaN}',
        '{"a":1,}',
        '"text"',
        '42',
        'null',
        'true',
        '',
        '\ufeff{}',
        '[]',
        '{"__proto__":{"polluted":true}}',
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
      )
      .map((body) => ({ label: `body ${JSON.stringify(body.slice(0, 30))}`, body, headers: json, token: 'valid' })),
    fc.constant({ label: 'body over the limit', body: `{"a":"${'x'.repeat(bodyLimitBytes)}"}`, headers: json, token: 'valid' }),
    // Wrong content types and encodings with the example body.
    fc
      .constantFrom<Record<string, string>>(
        { 'content-type': 'application/json; charset=latin1' },
        { 'content-type': 'application/json; charset=utf-16' },
        { 'content-type': 'text/plain' },
        { 'content-type': 'multipart/form-data; boundary=x' },
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        { 'content-type': 'application/json', 'content-encoding': 'br' },
        { 'content-type': 'application/json', 'content-encoding': 'compress' },
      )
      .map((headers) => ({ label: `headers ${JSON.stringify(headers)}`, body: exampleText, headers, token: 'valid' })),
    // Bytes that are not UTF-8.
    fc.constant({ label: 'latin-1 bytes', body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe9, 0xff, 0xc0]), Buffer.from('"}')]), headers: json, token: 'valid' }),
    // Bad tokens with the example body.
    fc
      .constantFrom(null, '', 'garbage', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'psrc.acme.nope', 'a'.repeat(10_000))
      .map((token) => ({ label: `token ${JSON.stringify(token?.slice(0, 20))}`, body: exampleText, headers: json, token })),
  ];
  if (required.length > 0) {
    bodies.push(
      fc.constantFrom(...required).map((key) => {
        const rest = Object.fromEntries(Object.entries(base as Record<string, unknown>).filter(([k]) => k !== key));
        return { label: `without ${key}`, body: JSON.stringify(rest), headers: json, token: 'valid' };
      }),
    );
  }
  if (properties.length > 0) {
    bodies.push(
      fc
        .constantFrom(...properties)
        .chain(([key, node]) => wrongTypeFor(node).map((value) => ({ key, value })))
        .map(({ key, value }) => ({ label: `wrong type for ${key}`, body: textWith(base, [], value, key), headers: json, token: 'valid' })),
    );
  }
  return fc.oneof(...bodies);
}
