import { COMMUNICATION_TOPICS, metadataId, type Message, type Metadata } from '@parley/schemas';
import type { KStream } from '@parley/streams';
import type { ModelSerdes } from '@parley/communication';

/** What a connector decided about one outbound message: its new record and metadata to write. */
export interface DeliveryOutcome {
  /** The message again, DELIVERED or FAILED, `updatedAt` set. */
  message: Message;
  /** `source.id`, `error`, `source.error`, … of the message. */
  metadata: Metadata[];
}

/** Writes every connector's outcomes the same way: the message to the messages topic, its metadata records to the metadata topic. */
export function writeDeliveryOutcomes(outcomes: KStream<string, DeliveryOutcome>, serdes: ModelSerdes): void {
  outcomes.map((_k, o) => [o.message.id, o.message] as const).to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message });
  outcomes
    .flatMap((_k, o) => o.metadata.map((r) => [metadataId(r.subject, r.key), r] as const))
    .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
}
