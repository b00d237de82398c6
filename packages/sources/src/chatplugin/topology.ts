/**
 * The chat plugin's router: `source.chatplugin.events` (visitor message events keyed by
 * conversation id) → Message records on `application.communication.messages` (keyed by message
 * id: from the contact, sender = the conversation id, source `chatplugin`, DELIVERED). Each event
 * is re-keyed by its channel id and joined with the channels table in timestamp order: events of
 * an unknown, foreign or disconnected channel, and events that do not parse, go to
 * `source.chatplugin.dead-letters` with the reason, never dropped silently.
 *
 * Retries: a widget that sends again with the same `client_message_id` gets the same message id
 * (mapping.ts). The first event of such an id is kept in `chatplugin-router-first-events`, and
 * every later event of the id is routed as that first one, so a retry rewrites the same record
 * (same time, same content) instead of moving the message. Re-emitting rather than dropping keeps
 * at-least-once replays lossless.
 */
import { COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import {
  Branched,
  keyValueStoreBuilder,
  Serdes,
  StreamsBuilder,
  type Processor,
  type ProcessorContext,
  type StoreBuilder,
  type StreamRecord,
  type Topology,
  type TypedKeyValueStore,
} from '@parley/streams';
import { isSourcesError, type SourcesErrorCode } from '../errors.js';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { CHATPLUGIN_DEAD_LETTER_TOPIC, CHATPLUGIN_EVENTS_TOPIC, CHATPLUGIN_SOURCE } from './chatplugin-topics.js';
import { parseChatEvent, toContactMessage, type ChatEvent } from './mapping.js';

/** Names of the router's processors, stores and repartition topic (part of the topology fingerprint). */
export const CHATPLUGIN_ROUTER_NAMES = Object.freeze({
  channelsStore: 'chatplugin-router-channels',
  firstEventsStore: 'chatplugin-router-first-events',
  parse: 'chatplugin-router-parse',
  /** Repartition topic `<applicationId>-chatplugin-router-by-channel-repartition`. */
  byChannel: 'chatplugin-router-by-channel',
  channelJoin: 'chatplugin-router-channel-join',
  split: 'chatplugin-router-',
});

/** A dead letter as written to `source.chatplugin.dead-letters` (JSON). */
export interface ChatPluginDeadLetter {
  code: SourcesErrorCode;
  reason: string;
  conversation_id: string | null;
  /** The raw event text when it did not parse, else the event. */
  item: unknown;
}

type Parsed = { kind: 'event'; event: ChatEvent } | { kind: 'dead'; letter: ChatPluginDeadLetter };
type Routed = { kind: 'message'; message: Message } | { kind: 'dead'; letter: ChatPluginDeadLetter };

export interface ChatPluginRouterOptions {
  serdes?: ModelSerdes;
  /** LevelDB (true, default) or in-memory stores. */
  persistent?: boolean;
}

/** Adds the router to `builder`. */
export function addChatPluginRouter(builder: StreamsBuilder, options: ChatPluginRouterOptions = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  // A table, not a global table: events are repartitioned by channel id and joined in timestamp
  // order with the channel records, so an event right after its channel was connected finds it.
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, {
    keySerde: serdes.key,
    valueSerde: serdes.channel,
    materialized: { storeName: CHATPLUGIN_ROUTER_NAMES.channelsStore, persistent: options.persistent ?? true },
  });
  builder.addStateStore(
    keyValueStoreBuilder<string, ChatEvent>({
      name: CHATPLUGIN_ROUTER_NAMES.firstEventsStore,
      keySerde: serdes.key,
      valueSerde: Serdes.json<ChatEvent>(),
      persistent: options.persistent ?? true,
    }) as StoreBuilder<unknown>,
  );
  const routed = builder
    .stream(CHATPLUGIN_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, Parsed>(() => new ParseProcessor(), { named: CHATPLUGIN_ROUTER_NAMES.parse, stores: [CHATPLUGIN_ROUTER_NAMES.firstEventsStore] })
    .repartition({ name: CHATPLUGIN_ROUTER_NAMES.byChannel, keySerde: serdes.key, valueSerde: Serdes.json<Parsed>() })
    .leftJoin(channels, (parsed, channel) => resolve(parsed, channel), { named: CHATPLUGIN_ROUTER_NAMES.channelJoin });
  routed
    .split({ named: CHATPLUGIN_ROUTER_NAMES.split })
    .branch(
      (_k, v) => v.kind === 'message',
      Branched.withConsumer(
        (s) =>
          s
            .map((_k, v) => [(v as { message: Message }).message.id, (v as { message: Message }).message] as const)
            .to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message }),
        'messages',
      ),
    )
    .defaultBranch(
      Branched.withConsumer(
        (s) =>
          s
            .map((_k, v) => {
              const letter = (v as { letter: ChatPluginDeadLetter }).letter;
              return [letter.conversation_id ?? '', letter] as const;
            })
            .to(CHATPLUGIN_DEAD_LETTER_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.json<ChatPluginDeadLetter>() }),
        'dead-letters',
      ),
    );
}

/** The router as a Topology of its own. */
export function buildChatPluginRouterTopology(options: ChatPluginRouterOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addChatPluginRouter(builder, options);
  return builder.build();
}

/** Parses an event (a bad one becomes a dead letter) and replaces a retry by its first event. */
class ParseProcessor implements Processor<string, Buffer, string, Parsed> {
  #context!: ProcessorContext<string, Parsed>;
  #firstEvents!: TypedKeyValueStore<string, ChatEvent>;

  init(context: ProcessorContext<string, Parsed>): void {
    this.#context = context;
    this.#firstEvents = context.getStateStore(CHATPLUGIN_ROUTER_NAMES.firstEventsStore);
  }

  process(record: StreamRecord<string, Buffer>): void {
    if (record.value === null) return; // not an event
    let value: Parsed;
    try {
      value = { kind: 'event', event: this.#first(parseChatEvent(record.value)) };
    } catch (err) {
      if (!isSourcesError(err)) throw err;
      value = { kind: 'dead', letter: { code: err.code, reason: err.message, conversation_id: record.key, item: record.value.toString('utf8') } };
    }
    // Events are keyed by channel id (the join key); a dead letter keeps the conversation id.
    this.#context.forward({ ...record, key: value.kind === 'event' ? value.event.channel_id : (record.key ?? ''), value });
  }

  /** The first event of a widget-chosen message id (this one, if it is the first). */
  #first(event: ChatEvent): ChatEvent {
    if (event.client_message_id === null) return event; // a random id: no retry can repeat it
    const first = this.#firstEvents.get(event.message_id);
    if (first !== undefined) return first;
    this.#firstEvents.put(event.message_id, event);
    return event;
  }
}

function resolve(parsed: Parsed, channel: Channel | null): Routed {
  if (parsed.kind === 'dead') return parsed;
  const { event } = parsed;
  if (channel === null || channel.source !== CHATPLUGIN_SOURCE || channel.connectionState !== 'CONNECTED') {
    const reason = channel === null || channel.source !== CHATPLUGIN_SOURCE ? `there is no chat plugin channel ${event.channel_id}` : `chat plugin channel ${event.channel_id} is disconnected`;
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason, conversation_id: event.conversation_id, item: event } };
  }
  return { kind: 'message', message: toContactMessage(event) };
}
