/**
 * Serdes for the model topics (sources and the runtime's read model share them). Model records are Avro (single-object
 * encoding) with every writer schema version registered, so records written by older versions
 * stay readable; keys are UTF-8 strings; raw provider payloads are bytes, untouched.
 */
import { Serdes, type Serde } from '@parley/streams';
import { AvroSchemaRegistry, avroSerde, type AvroSchema } from '@parley/streams/avro';
import {
  CHANNEL_SCHEMA,
  MESSAGE_SCHEMA,
  METADATA_SCHEMA,
  READ_RECEIPT_SCHEMA,
  RECORD_NAMES,
  SOURCE_SCHEMA,
  TAG_SCHEMA,
  TEMPLATE_SCHEMA,
  writerSchemas,
  type Channel,
  type Message,
  type Metadata,
  type ReadReceipt,
  type Source,
  type Tag,
  type Template,
} from '@parley/schemas';

export interface ModelSerdes {
  readonly registry: AvroSchemaRegistry;
  readonly key: Serde<string>;
  readonly raw: Serde<Buffer>;
  readonly message: Serde<Message>;
  readonly metadata: Serde<Metadata>;
  readonly channel: Serde<Channel>;
  readonly source: Serde<Source>;
  readonly readReceipt: Serde<ReadReceipt>;
  readonly tag: Serde<Tag>;
  readonly template: Serde<Template>;
}

/** Creates the serdes; pass a `registry` to share writer schemas with other serdes. */
export function modelSerdes(options: { registry?: AvroSchemaRegistry } = {}): ModelSerdes {
  const registry = options.registry ?? new AvroSchemaRegistry();
  for (const name of RECORD_NAMES) for (const schema of writerSchemas(name)) registry.register(schema as AvroSchema);
  const avro = <T>(schema: unknown): Serde<T> => avroSerde<T>(schema as AvroSchema, { registry });
  return Object.freeze({
    registry,
    key: Serdes.string(),
    raw: Serdes.bytes(),
    message: avro<Message>(MESSAGE_SCHEMA),
    metadata: avro<Metadata>(METADATA_SCHEMA),
    channel: avro<Channel>(CHANNEL_SCHEMA),
    source: avro<Source>(SOURCE_SCHEMA),
    readReceipt: avro<ReadReceipt>(READ_RECEIPT_SCHEMA),
    tag: avro<Tag>(TAG_SCHEMA),
    template: avro<Template>(TEMPLATE_SCHEMA),
  });
}
