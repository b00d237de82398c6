/**
 * The subset of Avro's JSON schema language the model uses, typed so the schema constants can
 * be handed straight to an Avro library (`avroSerde(MESSAGE_SCHEMA)` of `@parley/streams/avro`,
 * avsc's `Type.forSchema`) without this package depending on one.
 */

/** A primitive type name, or the full name of a named type defined earlier in the schema. */
export type AvroTypeName = string;

/** A primitive annotated with a logical type, e.g. `{ type: 'long', logicalType: 'timestamp-millis' }`. */
export interface AvroLogicalSchema {
  type: 'int' | 'long' | 'bytes' | 'string';
  logicalType: string;
}

export interface AvroEnumSchema {
  type: 'enum';
  name: string;
  namespace?: string;
  doc?: string;
  aliases?: string[];
  symbols: string[];
  /** Symbol a reader substitutes for a writer's symbol it does not know. */
  default?: string;
}

export interface AvroArraySchema {
  type: 'array';
  items: AvroSchemaJson;
}

export interface AvroMapSchema {
  type: 'map';
  values: AvroSchemaJson;
}

export interface AvroFieldSchema {
  name: string;
  doc?: string;
  type: AvroSchemaJson;
  /** Used by readers whose schema has the field when the writer's had not. */
  default?: unknown;
  aliases?: string[];
}

export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  aliases?: string[];
  fields: AvroFieldSchema[];
}

/** Any schema except a union. */
export type AvroNonUnionSchema =
  | AvroTypeName
  | AvroLogicalSchema
  | AvroEnumSchema
  | AvroArraySchema
  | AvroMapSchema
  | AvroRecordSchema;

/** An Avro schema as JSON. Unions are arrays and never directly contain another union. */
export type AvroSchemaJson = AvroNonUnionSchema | AvroNonUnionSchema[];

/**
 * Freezes a schema and everything in it, so the shared constants cannot be changed by one
 * consumer under another's feet.
 * @internal
 */
export function freezeSchema<T extends object>(schema: T): T {
  for (const value of Object.values(schema)) {
    if (typeof value === 'object' && value !== null) freezeSchema(value as object);
  }
  return Object.freeze(schema);
}
