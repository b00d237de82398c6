/**
 * What the Meta connectors' profile fetcher consumes: each conversation's contact messages (keyed
 * by conversation id), and, for `conversations.refetch`, a forced request. The refetch route
 * writes conversation metadata `contact.fetch_state` = `requested`; that record, re-keyed by
 * conversation and joined with the conversation's latest contact message (for the contact's id
 * and the channel), is a request the fetcher serves even when it fetched the profile before.
 */
import { COMMUNICATION_TOPICS, CONVERSATION_METADATA_KEYS, parseMetadataSubject, type Message, type Metadata } from '@parley/schemas';
import { Serdes, type KStream, type StreamsBuilder } from '@parley/streams';
import type { ModelSerdes } from '@parley/communication';

/** The value of `contact.fetch_state` that asks the connector to fetch the profile again. */
export const FETCH_STATE_REQUESTED = 'requested';

/** A contact message to fetch the profile for; `force` ignores an earlier fetch. */
export interface ProfileTrigger {
  message: Message;
  force: boolean;
}

export interface ProfileTriggerNames {
  /** Contact messages by conversation id (repartition). */
  profilesRepartition: string;
  /** Refetch requests by conversation id (repartition). */
  refetchRepartition: string;
  /** conversation id → its latest contact message. */
  latestContactStore: string;
}

/** `contactMessages` (of one source) by conversation, and the refetch requests for them. */
export function profileTriggers(builder: StreamsBuilder, contactMessages: KStream<string, Message>, names: ProfileTriggerNames, serdes: ModelSerdes): KStream<string, ProfileTrigger> {
  const byConversation = contactMessages
    .filter((_id, m) => m.senderType === 'CONTACT' && m.updatedAt === null)
    .selectKey((_id, m) => m.conversationId)
    .repartition({ name: names.profilesRepartition, keySerde: serdes.key, valueSerde: serdes.message });
  const latest = byConversation.toTable({ named: names.latestContactStore, materialized: { storeName: names.latestContactStore, keySerde: serdes.key, valueSerde: serdes.message } });
  const requests = builder
    .stream<string, Metadata | null>(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata })
    .filter((_k, r) => r !== null && r.key === CONVERSATION_METADATA_KEYS.contactFetchState && r.value === FETCH_STATE_REQUESTED && parseMetadataSubject(r.subject)?.namespace === 'conversation')
    .map((_k, r) => [parseMetadataSubject(r!.subject)!.id, r!.timestamp] as const)
    .repartition({ name: names.refetchRepartition, keySerde: serdes.key, valueSerde: Serdes.json<number>() })
    // Conversations of other sources find no contact message of this one: the inner join drops them.
    .join(latest, (_requestedAt, message): ProfileTrigger => ({ message, force: true }));
  return byConversation.mapValues((message): ProfileTrigger => ({ message, force: false })).merge(requests);
}
