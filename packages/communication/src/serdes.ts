import type { AvroSchemaRegistry } from '@parley/streams/avro';
import { Serdes, type Serde } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from './model-serdes.js';
import type { MetadataChange } from '@parley/schemas';
import type { ConversationAggregate } from './topology/conversation-aggregate.js';
import type { ConversationEvent } from './topology/conversation-event.js';

/** What a metadata record key stands for (store `metadata-keys`). */
export interface MetadataKeyRef {
  subject: string;
  key: string;
}

/**
 * The serdes of the communication read model.
 *
 * - Model records (topics and the stores holding them: `messages`, `conversation-messages`,
 *   `channels`, `tags`, `templates`) are Avro in single-object encoding. Every reader registers
 *   every writer schema version of every record (`writerSchemas`), so records written by older
 *   versions stay readable after a schema evolves.
 * - Internal aggregates (`conversations`, `metadata`, `metadata-keys`, `message-positions`) and
 *   the repartition topics' events are JSON: they never leave this application's own topics and
 *   stores, stay readable when debugging a changelog, and an incompatible change of their shape
 *   is handled the way every topology change is, by running under a new application id
 *   (reprocessing from the model topics). The conversation aggregate carries a version `v`.
 * - Keys are UTF-8 strings.
 */
export interface CommunicationSerdes extends Omit<ModelSerdes, 'raw' | 'source'> {
  readonly conversationEvent: Serde<ConversationEvent>;
  readonly metadataChange: Serde<MetadataChange>;
  /** A subject's merged state as the list of its winning changes (tombstones included). */
  readonly metadataState: Serde<MetadataChange[]>;
  readonly metadataKeyRef: Serde<MetadataKeyRef>;
  readonly conversation: Serde<ConversationAggregate>;
  /** A message's sentAt as indexed, in ms. */
  readonly sentAt: Serde<number>;
}

/**
 * Creates the serdes (cheap; one set per topology or writer). Pass a `registry` to share writer
 * schemas with other serdes; every version of every record is registered in it.
 */
export function communicationSerdes(options: { registry?: AvroSchemaRegistry } = {}): CommunicationSerdes {
  const { raw: _raw, source: _source, ...model } = modelSerdes(options);
  return Object.freeze({
    ...model,
    conversationEvent: Serdes.json<ConversationEvent>(),
    metadataChange: Serdes.json<MetadataChange>(),
    metadataState: Serdes.json<MetadataChange[]>(),
    metadataKeyRef: Serdes.json<MetadataKeyRef>(),
    conversation: Serdes.json<ConversationAggregate>(),
    sentAt: Serdes.long(),
  });
}
