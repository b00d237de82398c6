import { crc64Avro } from './crc64-avro.js';
import { FINGERPRINT_LENGTH } from './single-object-encoding.js';
import { toAvroType, type AvroSchema, type AvroType, type AvroTypeOptions } from './avro-type.js';

const cache = new WeakMap<AvroType, Buffer>();

/**
 * The 8-byte CRC-64-AVRO fingerprint of a type, little-endian as in the single-object header.
 * avsc's `type.schema()` with no options returns the spec's Parsing Canonical Form (full names,
 * only name/type/fields/symbols/items/values/size, in that order, no doc/aliases/defaults/
 * logicalType); the tests check it against the spec's published vectors.
 * @internal
 */
export function fingerprintBytes(type: AvroType): Buffer {
  let bytes = cache.get(type);
  if (bytes === undefined) {
    const canonical = Buffer.from(JSON.stringify(type.schema()), 'utf8');
    bytes = Buffer.alloc(FINGERPRINT_LENGTH);
    bytes.writeBigUInt64LE(crc64Avro(canonical), 0);
    cache.set(type, bytes);
  }
  return bytes;
}

/**
 * The schema fingerprint Parley records and writes: CRC-64-AVRO of the Parsing Canonical Form,
 * as 16 lowercase hex digits in wire (little-endian) order, so it reads the same as bytes 2..9
 * of an encoded record. Schemas that differ only in docs, aliases or defaults share it.
 */
export function avroFingerprint(schema: AvroSchema, options?: AvroTypeOptions): string {
  return fingerprintBytes(toAvroType(schema, options)).toString('hex');
}
