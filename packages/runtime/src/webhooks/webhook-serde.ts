import { WEBHOOK_SCHEMA, writerSchemas, type Webhook } from '@parley/schemas';
import type { Serde } from '@parley/streams';
import { AvroSchemaRegistry, avroSerde, type AvroSchema } from '@parley/streams/avro';

/** The Avro serde of Webhook records, reading every earlier version of the schema. */
export function webhookSerde(): Serde<Webhook> {
  const registry = new AvroSchemaRegistry();
  for (const schema of writerSchemas('Webhook')) registry.register(schema as AvroSchema);
  return avroSerde<Webhook>(WEBHOOK_SCHEMA as AvroSchema, { registry });
}
