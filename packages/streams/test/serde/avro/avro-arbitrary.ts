import fc from 'fast-check';

/**
 * A fast-check arbitrary of values valid for an Avro schema, as avsc represents them
 * (long as a number from -2^52 to avsc's largest safe long, bytes and fixed as Buffers,
 * unions unwrapped). Supports the
 * schema shapes the serde tests use; named references resolve to types defined earlier.
 */
export function avroArbitrary(schema: unknown, named = new Map<string, fc.Arbitrary<unknown>>()): fc.Arbitrary<unknown> {
  if (typeof schema === 'string') return primitive(schema, named);
  if (Array.isArray(schema)) return fc.oneof(...schema.map((branch) => avroArbitrary(branch, named)));
  const s = schema as Record<string, unknown> & { type: string };
  switch (s.type) {
    case 'record': {
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const field of s['fields'] as Array<{ name: string; type: unknown }>) {
        fields[field.name] = avroArbitrary(field.type, named);
      }
      const record = fc.record(fields);
      named.set(s['name'] as string, record);
      return record;
    }
    case 'enum': {
      const symbols = fc.constantFrom(...(s['symbols'] as string[]));
      named.set(s['name'] as string, symbols);
      return symbols;
    }
    case 'fixed': {
      const size = s['size'] as number;
      const fixed = fc.uint8Array({ minLength: size, maxLength: size }).map((b) => Buffer.from(b));
      named.set(s['name'] as string, fixed);
      return fixed;
    }
    case 'array':
      return fc.array(avroArbitrary(s['items'], named), { maxLength: 5 });
    case 'map':
      return fc.dictionary(fc.string(), avroArbitrary(s['values'], named), { maxKeys: 5 });
    default:
      return primitive(s.type, named);
  }
}

function primitive(name: string, named: Map<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  switch (name) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'long':
      return fc.integer({ min: -(2 ** 52), max: 2 ** 53 - 2 });
    case 'float':
      return fc.float();
    case 'double':
      return fc.double();
    case 'bytes':
      return fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b));
    case 'string':
      return fc.string({ unit: 'binary', maxLength: 16 });
    default: {
      const ref = named.get(name);
      if (ref === undefined) throw new Error(`avroArbitrary: unsupported schema ${name}`);
      return ref;
    }
  }
}
