import { keyValueStoreBuilder, Topology, type Serde, type StoreBuilder, type TypedKeyValueStore } from '@parley/streams';
import type { Channel, MetadataChange } from '@parley/schemas';
import { communicationSerdes, type CommunicationSerdes } from '../serdes.js';
import { COMMUNICATION_STORES, type CommunicationStoreName } from '../store-names.js';
import type { CommunicationListener } from '../topology/communication-listener.js';
import type { ConversationAggregate } from '../topology/conversation-aggregate.js';
import { toMetadataState } from '../topology/metadata-aggregator.js';

/** Metadata subjects of contacts (`contact:<id>`): the contacts index follows them. */
const CONTACT_SUBJECT_PREFIX = 'contact:';

/** The stores the query layer reads: a replica holds these, under the same names. */
export const REPLICATED_STORES = [
  COMMUNICATION_STORES.messages,
  COMMUNICATION_STORES.metadata,
  COMMUNICATION_STORES.conversations,
  COMMUNICATION_STORES.conversationMessages,
  COMMUNICATION_STORES.channels,
  COMMUNICATION_STORES.tags,
  COMMUNICATION_STORES.templates,
] as const satisfies readonly CommunicationStoreName[];

export interface ReplicaTopologyOptions {
  /** The application id of the communication topology whose changelogs the replica reads. */
  writerApplicationId: string;
  /** Told about every conversation, channel and contact the replica applies (the query layer's index). */
  listener?: CommunicationListener;
  serdes?: CommunicationSerdes;
}

/**
 * A read-only copy of the communication read model's stores, for a runtime instance that does
 * not own every partition (many instances on Kafka, docs/scaling.md): one global store per store
 * the queries read, filled from the writer's changelog topic (`<writer>-<store>-changelog`), so
 * every instance holds all of it without writing anything. The stores keep the writer's names,
 * so a `CommunicationReadModel` attaches to a replica as it does to the writer. They are LevelDB
 * stores: after a clean stop (a drain, a rolling restart) an instance applies only what was
 * appended since, instead of every changelog from its beginning.
 */
export function buildCommunicationReplicaTopology(options: ReplicaTopologyOptions): Topology {
  const serdes = options.serdes ?? communicationSerdes();
  const { listener } = options;
  const valueSerdes: Record<(typeof REPLICATED_STORES)[number], Serde<unknown>> = {
    [COMMUNICATION_STORES.messages]: serdes.message,
    [COMMUNICATION_STORES.metadata]: serdes.metadataState,
    [COMMUNICATION_STORES.conversations]: serdes.conversation,
    [COMMUNICATION_STORES.conversationMessages]: serdes.message,
    [COMMUNICATION_STORES.channels]: serdes.channel,
    [COMMUNICATION_STORES.tags]: serdes.tag,
    [COMMUNICATION_STORES.templates]: serdes.template,
  } as Record<(typeof REPLICATED_STORES)[number], Serde<unknown>>;
  const notify = (store: string, key: string, value: unknown): void => {
    if (listener === undefined) return;
    if (store === COMMUNICATION_STORES.conversations && value !== null) listener.conversationChanged(value as ConversationAggregate);
    if (store === COMMUNICATION_STORES.channels) listener.channelChanged(key, value as Channel | null);
    if (store === COMMUNICATION_STORES.metadata && key.startsWith(CONTACT_SUBJECT_PREFIX)) {
      listener.contactChanged?.(key.slice(CONTACT_SUBJECT_PREFIX.length), toMetadataState((value as MetadataChange[] | null) ?? undefined));
    }
  };
  const topology = new Topology();
  for (const name of REPLICATED_STORES) {
    const valueSerde = valueSerdes[name];
    topology.addGlobalStore<string, unknown>({
      storeBuilder: keyValueStoreBuilder<string, unknown>({ name, keySerde: serdes.key, valueSerde, persistent: true, logging: false }) as StoreBuilder<unknown>,
      sourceName: `${name}-replica-source`,
      topic: `${options.writerApplicationId}-${name}-changelog`,
      keySerde: serdes.key,
      valueSerde,
      processorName: `${name}-replica-writer`,
      processorSupplier: () => {
        let store: TypedKeyValueStore<string, unknown>;
        return {
          init: (context) => void (store = context.getStateStore(name)),
          process: (record) => {
            if (record.value === null) store.delete(record.key);
            else store.put(record.key, record.value);
            notify(name, record.key, record.value);
          },
        };
      },
    });
  }
  return topology;
}
