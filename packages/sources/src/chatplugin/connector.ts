/**
 * The chat plugin's connector: PENDING outbound messages of chat plugin conversations (written by
 * `messages.send`) → the message again as DELIVERED (`updatedAt` = now), or FAILED with `error`
 * metadata when its channel is unknown or disconnected.
 *
 * There is no provider API to call: Parley itself is the chat plugin's "provider". A message is
 * delivered once it is stored: a connected widget receives it by push (the runtime's websocket
 * fans out every message record of the conversation, this DELIVERED version included) and any
 * widget on resume (the history is read from the read model). Airy pushed over STOMP here and
 * marked FAILED when the push threw, which only said whether one server-side socket write
 * succeeded; a widget that was offline then never saw the message. Unlike the other connectors
 * there is no 300 s staleness rule: a reply is still worth showing when the visitor comes back.
 */
import { COMMUNICATION_TOPICS, MESSAGE_METADATA_KEYS, metadataRecord, metadataSubject, type Channel, type Message } from '@parley/schemas';
import { StreamsBuilder, type Processor, type ProcessorContext, type StreamRecord, type Topology } from '@parley/streams';
import { writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { CHATPLUGIN_SOURCE } from './chatplugin-topics.js';

/** Names of the connector's nodes and store (part of the topology fingerprint). */
export const CHATPLUGIN_CONNECTOR_NAMES = Object.freeze({
  channelsStore: 'chatplugin-connector-channels',
  deliver: 'chatplugin-connector-deliver',
});

export interface ChatPluginConnectorOptions {
  serdes?: ModelSerdes;
  /**
   * Finds a channel the global channels table does not hold (yet): it is filled by its own
   * reader, so a channel connected moments ago may be missing. Default none.
   */
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
  /** Milliseconds since the epoch. Default the task's system time (the driver's wall clock in tests). */
  clock?: () => number;
  /** LevelDB (true, default) or in-memory global store. */
  persistent?: boolean;
}

interface Pending {
  message: Message;
  channel: Channel | null;
}

type Outcome = DeliveryOutcome;

/** Adds the connector to `builder`. */
export function addChatPluginConnector(builder: StreamsBuilder, options: ChatPluginConnectorOptions = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  const channels = builder.globalTable(COMMUNICATION_TOPICS.channels.name, {
    keySerde: serdes.key,
    valueSerde: serdes.channel,
    materialized: { storeName: CHATPLUGIN_CONNECTOR_NAMES.channelsStore, persistent: options.persistent ?? true },
  });
  const outcomes = builder
    .stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message })
    .filter((_id, m) => m !== null && m.source === CHATPLUGIN_SOURCE && m.deliveryState === 'PENDING')
    .leftJoin(channels, (_id, m) => m.channelId, (message, channel): Pending => ({ message, channel }))
    .process<string, Outcome>(() => new DeliverProcessor(options), { named: CHATPLUGIN_CONNECTOR_NAMES.deliver });
  writeDeliveryOutcomes(outcomes, serdes);
}

/** The connector as a Topology of its own. */
export function buildChatPluginConnectorTopology(options: ChatPluginConnectorOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addChatPluginConnector(builder, options);
  return builder.build();
}

class DeliverProcessor implements Processor<string, Pending, string, Outcome> {
  readonly #options: ChatPluginConnectorOptions;
  #context!: ProcessorContext<string, Outcome>;

  constructor(options: ChatPluginConnectorOptions) {
    this.#options = options;
  }

  init(context: ProcessorContext<string, Outcome>): void {
    this.#context = context;
  }

  process(record: StreamRecord<string, Pending>): void | Promise<void> {
    const { message, channel } = record.value;
    // Only the rare miss (a channel newer than the global table) costs an await.
    if (channel === null && this.#options.resolveChannel !== undefined) {
      return this.#options.resolveChannel(message.channelId).then((found) => this.#forward(record, decide(message, found ?? null, this.#now())));
    }
    this.#forward(record, decide(message, channel, this.#now()));
  }

  #now(): number {
    return this.#options.clock?.() ?? this.#context.currentSystemTimeMs();
  }

  #forward(record: StreamRecord<string, Pending>, outcome: Outcome): void {
    this.#context.forward({ ...record, key: outcome.message.id, value: outcome, timestamp: Math.max(record.timestamp, outcome.message.updatedAt ?? 0) });
  }
}

/** DELIVERED when the channel is a connected chat plugin channel, FAILED (with `error`) otherwise. */
function decide(message: Message, channel: Channel | null, now: number): Outcome {
  if (channel !== null && channel.source === CHATPLUGIN_SOURCE && channel.connectionState === 'CONNECTED') {
    return { message: { ...message, deliveryState: 'DELIVERED', updatedAt: now }, metadata: [] };
  }
  const reason = channel === null ? `there is no chat plugin channel ${message.channelId}` : `chat plugin channel ${message.channelId} is disconnected`;
  const error = metadataRecord({ subject: metadataSubject('message', message.id), key: MESSAGE_METADATA_KEYS.error, value: reason, timestamp: now });
  return { message: { ...message, deliveryState: 'FAILED', updatedAt: now }, metadata: [error] };
}
