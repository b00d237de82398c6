import type { AvroRecordSchema } from './avro-schema.js';
import type { RecordName } from './generated/records.js';
import { PREVIOUS_SCHEMAS, RECORD_SCHEMAS } from './generated/schemas.js';

/**
 * Every schema a record of `name` may have been written with: the current one first, then the
 * earlier versions. A reader registers them all (e.g. in `@parley/streams`' AvroSchemaRegistry)
 * so it can resolve any record in a topic, found by the writer fingerprint in its header, into
 * the current schema.
 */
export function writerSchemas(name: RecordName): readonly AvroRecordSchema[] {
  const current = RECORD_SCHEMAS[name];
  if (current === undefined) throw new RangeError(`unknown record ${JSON.stringify(name)}`);
  return [current, ...PREVIOUS_SCHEMAS[name]];
}
