/**
 * Schemas shared by the Avro serde tests. `USER_V1` → `USER_V2` is a compatible evolution:
 * `age` int → long (promotion), `nickname` removed, `email` added with a default. `USER_V3`
 * turns `id` from string to int, which v1 records cannot be read as.
 */
import type { AvroSchema } from '../../../src/avro.js';

export const USER_V1 = {
  type: 'record',
  name: 'User',
  namespace: 'parley.test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'age', type: 'int' },
    { name: 'nickname', type: ['null', 'string'], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' } },
  ],
} as const satisfies AvroSchema;

export const USER_V2 = {
  type: 'record',
  name: 'User',
  namespace: 'parley.test',
  doc: 'A user, version 2',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'age', type: 'long' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'email', type: 'string', default: 'unknown@example.com' },
  ],
} as const satisfies AvroSchema;

export const USER_V3 = {
  type: 'record',
  name: 'User',
  namespace: 'parley.test',
  fields: [{ name: 'id', type: 'int' }],
} as const satisfies AvroSchema;

/** A schema with every kind of Avro type, for round trips and garbage bytes. */
export const EVERYTHING = {
  type: 'record',
  name: 'Everything',
  fields: [
    { name: 'flag', type: 'boolean' },
    { name: 'i', type: 'int' },
    { name: 'l', type: 'long' },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 'raw', type: 'bytes' },
    { name: 's', type: 'string' },
    { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] } },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'maybe', type: ['null', 'string'] },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'qty', type: 'int' },
          ],
        },
      },
    },
    { name: 'attrs', type: { type: 'map', values: { type: 'array', items: 'long' } } },
    { name: 'other', type: ['null', 'Item'] },
  ],
} as const satisfies AvroSchema;
