/**
 * The input side every Meta connector builds the same way: the global channels table, the
 * provider's messages, the contact of each conversation (the sender of its latest contact message)
 * and the PENDING outbound messages repartitioned by conversation and joined with both. The calls
 * keep the order the connectors made them in, so their topologies are unchanged.
 */
import { COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import { Serdes, type GlobalKTable, type KStream, type StreamsBuilder } from '@parley/streams';
import type { ModelSerdes } from '@parley/communication';

/** A PENDING message with its conversation's contact and its channel (null when not known yet). */
export interface MetaPending {
  message: Message;
  contact: string | null;
  channel: Channel | null;
}

export interface MetaPendingNames {
  channelsStore: string;
  contactsStore: string;
  pendingRepartition: string;
}

export interface MetaMessageStreams {
  channels: GlobalKTable<string, Channel>;
  /** The provider's messages (tombstones dropped). */
  messages: KStream<string, Message>;
  /** Its messages sent by contacts. */
  fromContacts: KStream<string, Message>;
  /** PENDING outbound messages, keyed by conversation. */
  pending: KStream<string, MetaPending>;
}

export function metaMessageStreams(builder: StreamsBuilder, source: string, names: MetaPendingNames, serdes: ModelSerdes): MetaMessageStreams {
  const channels = builder.globalTable(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: names.channelsStore } });
  const messages = builder
    .stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message })
    .filter((_id, m) => m !== null && m.source === source);
  const fromContacts = messages.filter((_id, m) => m.senderType === 'CONTACT');
  const contacts = fromContacts
    .map((_id, m) => [m.conversationId, m.senderId] as const)
    .toTable({ named: names.contactsStore, materialized: { storeName: names.contactsStore, keySerde: serdes.key, valueSerde: Serdes.string() } });
  const pending = messages
    .filter((_id, m) => m.deliveryState === 'PENDING')
    .selectKey((_id, m) => m.conversationId)
    .repartition({ name: names.pendingRepartition, keySerde: serdes.key, valueSerde: serdes.message })
    .leftJoin(contacts, (message, contact) => ({ message, contact }))
    .leftJoin(channels, (_k, v) => v.message.channelId, (v, channel): MetaPending => ({ ...v, channel }));
  return { channels, messages, fromContacts, pending };
}

/** A message's content as a JSON object, or undefined when it is not one. */
export function parseContentObject(content: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(content);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
