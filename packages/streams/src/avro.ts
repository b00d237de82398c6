/**
 * `@parley/streams/avro`: Avro serdes over avsc, with schema fingerprints and writer/reader
 * schema resolution. A subpath of its own so the core never loads avsc.
 */
export { AvroSerde, avroSerde, type AvroSerdeOptions } from './serde/avro/avro-serde.js';
export {
  AvroSchemaRegistry,
  type AvroSchemaRegistryOptions,
} from './serde/avro/avro-schema-registry.js';
export { avroFingerprint } from './serde/avro/avro-fingerprint.js';
export type { AvroSchema, AvroType, AvroTypeOptions } from './serde/avro/avro-type.js';
