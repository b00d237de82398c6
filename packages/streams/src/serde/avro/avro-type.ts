import avsc from 'avsc';
import { hardeningTypeHook } from './hardening-type-hook.js';

/** An Avro schema as JSON: a record/enum/… object, an array (union) or a type name. */
export type AvroSchema = Exclude<avsc.Schema, avsc.Type>;
/** avsc's parsed type. */
export type AvroType = avsc.Type;
/** Options of avsc's `Type.forSchema` (for example `logicalTypes` or `wrapUnions`). */
export type AvroTypeOptions = Partial<avsc.ForSchemaOptions>;

/**
 * Parses a schema into an avsc Type hardened against hostile bytes and inexact longs (see hardening-type-hook.ts).
 * Schemas, not ready-made Types, are taken for that reason: avsc freezes its types. Each call
 * parses on its own (a fresh name registry unless `options.registry` is given), so two versions
 * of the same named record never clash. An invalid schema is a programming mistake: it throws a
 * TypeError with avsc's error as `cause`, not a StreamsError.
 */
export function toAvroType(schema: AvroSchema, options: AvroTypeOptions = {}): AvroType {
  // avsc's typings do not let a Type in, but JavaScript callers can pass one.
  if (avsc.Type.isType(schema)) {
    throw new TypeError('Expected an Avro schema (JSON), not an avsc Type; pass type.schema({ exportAttrs: true })');
  }
  try {
    return avsc.Type.forSchema(schema, {
      // Records decode as instances of a generated class; without its convenience methods
      // (enumerable on the prototype) they compare and iterate like plain objects.
      omitRecordMethods: true,
      ...options,
      typeHook: hardeningTypeHook(options.typeHook),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TypeError(`Invalid Avro schema: ${reason}`, { cause: err });
  }
}
