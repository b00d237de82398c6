import { COMMUNICATION_TOPICS, MESSAGE_METADATA_KEYS, metadataId, metadataRecord, metadataSubject, type Message, type Metadata } from '@parley/schemas';
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

/** The message DELIVERED at `now`, with the provider's id of it as `source.id` when the provider gave one. */
export function deliveredOutcome(message: Message, now: number, sourceId?: string | null): DeliveryOutcome {
  const metadata = sourceId === undefined || sourceId === null ? [] : [metadataRecord({ subject: metadataSubject('message', message.id), key: MESSAGE_METADATA_KEYS.sourceId, value: sourceId, timestamp: now })];
  return { message: { ...message, deliveryState: 'DELIVERED', updatedAt: now }, metadata };
}

/** The message FAILED at `now`: `reason` as its `error`, and the provider's answer as `source.error` when there is one. */
export function failedOutcome(message: Message, now: number, reason: string, sourceError?: string): DeliveryOutcome {
  const subject = metadataSubject('message', message.id);
  const metadata = [metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.error, value: reason, timestamp: now })];
  if (sourceError !== undefined && sourceError.length > 0) metadata.push(metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.sourceError, value: sourceError, timestamp: now }));
  return { message: { ...message, deliveryState: 'FAILED', updatedAt: now }, metadata };
}
