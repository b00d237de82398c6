import { COMMUNICATION_TOPICS, type Channel, type Message, type Metadata, type ReadReceipt, type Tag, type Template } from '@parley/schemas';
import { keyValueStoreBuilder, StreamsBuilder, type KStream, type StoreBuilder, type Topology } from '@parley/streams';
import { communicationSerdes, type CommunicationSerdes } from '../serdes.js';
import { COMMUNICATION_REPARTITIONS, COMMUNICATION_STORES } from '../store-names.js';
import type { CommunicationListener } from './communication-listener.js';
import { ConversationAggregator } from './conversation-aggregator.js';
import type { ConversationEvent } from './conversation-event.js';
import { MessageRouter } from './message-router.js';
import { MetadataAggregator } from './metadata-aggregator.js';
import { MetadataRouter } from './metadata-router.js';

export interface CommunicationTopologyOptions {
  /** Told about every conversation and channel change (the query layer's index). Default none. */
  listener?: CommunicationListener;
  /** Default: `communicationSerdes()`. */
  serdes?: CommunicationSerdes;
  /** LevelDB stores (true, the default) or in-memory ones (false; they are rebuilt from changelogs on start). */
  persistent?: boolean;
  /**
   * Partitions of the repartition topics. Default: as many as their input topics, which is right
   * when every model topic has the same partition count; set it when they differ (the two topics
   * feeding the conversation aggregator must be co-partitioned).
   */
  partitions?: number;
}

/**
 * The communication read model (see the README): adds to `builder` the messages, metadata,
 * conversations and conversation-messages stores and the channels, tags and templates tables.
 * Every processor, repartition and store is named, so the topology's fingerprint only changes
 * when the topology does.
 */
export function addCommunicationTopology(builder: StreamsBuilder, options: CommunicationTopologyOptions = {}): void {
  const serdes = options.serdes ?? communicationSerdes();
  const persistent = options.persistent ?? true;
  const { listener } = options;
  // Stores are added to the builder and connected by name (rather than returned by the suppliers'
  // `stores()`), so each store is declared exactly once.
  const store = (name: string, valueSerde: unknown): string => {
    builder.addStateStore(keyValueStoreBuilder<string, unknown>({ name, keySerde: serdes.key, valueSerde: valueSerde as never, persistent }) as StoreBuilder<unknown>);
    return name;
  };
  const repartition = <T>(stream: KStream<string, T>, name: string, valueSerde: unknown) =>
    stream.repartition({
      name,
      keySerde: serdes.key,
      valueSerde: valueSerde as never,
      ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    });

  // Messages: the by-id table, and every change re-keyed by conversation.
  const messageEvents = builder
    .stream<string, Message | null>(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message, named: 'messages-source' })
    .process<string, ConversationEvent>(() => new MessageRouter(), {
      named: 'message-router',
      stores: [store(COMMUNICATION_STORES.messages, serdes.message)],
    });
  const readEvents = builder
    .stream<string, ReadReceipt | null>(COMMUNICATION_TOPICS.readReceipts.name, {
      keySerde: serdes.key,
      valueSerde: serdes.readReceipt,
      named: 'read-receipts-source',
    })
    .filter((_key, receipt) => receipt !== null, { named: 'read-receipts-present' })
    .map((_key, receipt) => [receipt!.conversationId, { type: 'read', readAt: receipt!.readAt, userId: receipt!.userId } as ConversationEvent] as const, {
      named: 'read-receipts-by-conversation',
    });
  const conversationEvents = repartition(
    messageEvents.merge(readEvents, { named: 'conversation-events-merge' }),
    COMMUNICATION_REPARTITIONS.conversationEvents,
    serdes.conversationEvent,
  );

  // Metadata (and contacts): merged per subject; conversation documents go on to the aggregator.
  const metadataChanges = builder
    .stream<string, Metadata | null>([COMMUNICATION_TOPICS.metadata.name, COMMUNICATION_TOPICS.contacts.name], {
      keySerde: serdes.key,
      valueSerde: serdes.metadata,
      named: 'metadata-source',
    })
    .process(() => new MetadataRouter(), { named: 'metadata-router', stores: [store(COMMUNICATION_STORES.metadataKeys, serdes.metadataKeyRef)] });
  const conversationMetadata = repartition(
    repartition(metadataChanges, COMMUNICATION_REPARTITIONS.metadataChanges, serdes.metadataChange).process(() => new MetadataAggregator(listener), {
      named: 'metadata-aggregator',
      stores: [store(COMMUNICATION_STORES.metadata, serdes.metadataState)],
    }),
    COMMUNICATION_REPARTITIONS.conversationMetadata,
    serdes.conversationEvent,
  );

  // Conversations; `user_read` marks go back to the metadata topic, each new conversation's contact to the contacts topic.
  conversationEvents
    .merge(conversationMetadata, { named: 'conversation-inputs-merge' })
    .process(() => new ConversationAggregator(listener), {
      named: 'conversation-aggregator',
      stores: [
        store(COMMUNICATION_STORES.conversations, serdes.conversation),
        store(COMMUNICATION_STORES.conversationMessages, serdes.message),
        store(COMMUNICATION_STORES.messagePositions, serdes.sentAt),
      ],
    })
    .to((record) => (record.value.subject.startsWith('contact:') ? COMMUNICATION_TOPICS.contacts.name : COMMUNICATION_TOPICS.metadata.name), {
      keySerde: serdes.key,
      valueSerde: serdes.metadata,
      named: 'metadata-sink',
    });

  // Channels, tags, templates: the latest record per id.
  const channels = builder.table<string, Channel>(COMMUNICATION_TOPICS.channels.name, {
    keySerde: serdes.key,
    valueSerde: serdes.channel,
    named: 'channels-source',
    materialized: { storeName: COMMUNICATION_STORES.channels, persistent },
  });
  if (listener !== undefined) {
    channels.toStream({ named: 'channels-changes' }).foreach((id, channel) => listener.channelChanged(id, channel), { named: 'channels-listener' });
  }
  builder.table<string, Tag>(COMMUNICATION_TOPICS.tags.name, {
    keySerde: serdes.key,
    valueSerde: serdes.tag,
    named: 'tags-source',
    materialized: { storeName: COMMUNICATION_STORES.tags, persistent },
  });
  builder.table<string, Template>(COMMUNICATION_TOPICS.templates.name, {
    keySerde: serdes.key,
    valueSerde: serdes.template,
    named: 'templates-source',
    materialized: { storeName: COMMUNICATION_STORES.templates, persistent },
  });
}

/** `addCommunicationTopology` on a fresh StreamsBuilder, built. */
export function buildCommunicationTopology(options: CommunicationTopologyOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addCommunicationTopology(builder, options);
  return builder.build();
}
