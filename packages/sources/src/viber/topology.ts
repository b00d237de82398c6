/**
 * Viber's router: `source.viber.events` (raw callbacks) → Message and Metadata records.
 *
 * - `message`, `conversation_started`, `subscribed`, `unsubscribed` need the channel: they are
 *   joined, in timestamp order, with "the Viber account" — the latest Viber channel record that is
 *   connected (or the disconnection of that same channel), re-keyed by the source name, since a
 *   callback names no account (one bot per installation). No connected account → dead letter.
 * - `delivered`, `seen`, `failed` name an outbound message by its `message_token`: they are
 *   repartitioned by token and merged with `source.viber.message-tokens` (token → the message the
 *   connector sent), so whichever comes first waits in `viber-router-deliveries` for the other.
 *   `delivered` and `seen` set message metadata `source.delivery_state`; `failed` rewrites the
 *   message FAILED with `error` (Viber's `desc`). A state never moves backwards: `delivered` after
 *   `seen` changes nothing, `failed` applies only before any delivery.
 * - `webhook` (the URL check) maps to nothing; a callback that does not parse, or of a kind this
 *   version does not know, goes to `source.viber.dead-letters` with the reason.
 */
import { COMMUNICATION_TOPICS, MESSAGE_METADATA_KEYS, metadataId, metadataRecord, metadataSubject, channelId as deriveChannelId, type Channel, type Message, type Metadata } from '@parley/schemas';
import {
  keyValueStoreBuilder,
  Serdes,
  StreamsBuilder,
  type KStream,
  type Processor,
  type ProcessorContext,
  type StoreBuilder,
  type StreamRecord,
  type Topology,
  type TypedKeyValueStore,
} from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { isSourcesError, type SourcesErrorCode } from '../errors.js';
import { mapConversationEvent, parseViberEvent, type ViberEvent, type ViberStatus } from './mapping.js';
import { VIBER_DEAD_LETTER_TOPIC, VIBER_EVENTS_TOPIC, VIBER_MESSAGE_TOKENS_TOPIC, VIBER_SOURCE } from './viber-topics.js';

/** Names of the router's nodes, stores and repartition topics (part of the topology fingerprint). */
export const VIBER_ROUTER_NAMES = Object.freeze({
  accountStore: 'viber-router-account',
  accountByName: 'viber-router-account-by-source',
  parse: 'viber-router-parse',
  eventsByAccount: 'viber-router-events-by-account',
  accountJoin: 'viber-router-account-join',
  statusesByToken: 'viber-router-statuses-by-token',
  deliveriesStore: 'viber-router-deliveries',
  deliveries: 'viber-router-deliveries',
});

/** A dead letter as written to `source.viber.dead-letters` (JSON). */
export interface ViberDeadLetter {
  code: SourcesErrorCode;
  reason: string;
  /** The raw callback text when it did not parse, else the callback. */
  item: unknown;
}

type Parsed =
  | { kind: 'event'; event: ViberEvent; raw: string }
  | { kind: 'status'; status: ViberStatus }
  | { kind: 'dead'; letter: ViberDeadLetter };

/** What the status path reads, keyed by message token: a callback, or the message sent with that token. */
export type DeliveryInput = { kind: 'status'; status: ViberStatus } | { kind: 'sent'; message: Message };

type Routed = { kind: 'records'; message: Message | null; metadata: Metadata[] } | { kind: 'dead'; letter: ViberDeadLetter };

/** One outbound message's delivery as the router knows it. */
interface DeliveryState {
  message: Message | null;
  /** 0 nothing yet, 1 delivered, 2 seen, 3 failed. */
  rank: number;
  /** Callbacks that came before the token's message. */
  pending: ViberStatus[];
}

const RANK = { delivered: 1, seen: 2, failed: 3 } as const;

export interface ViberRouterOptions {
  serdes?: ModelSerdes;
  /** LevelDB (true, default) or in-memory stores. */
  persistent?: boolean;
}

/** Adds the router to `builder`. */
export function addViberRouter(builder: StreamsBuilder, options: ViberRouterOptions = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  const persistent = options.persistent ?? true;
  const account = builder
    .stream(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel })
    .filter((_id, channel) => channel !== null && channel.source === VIBER_SOURCE)
    .selectKey(() => VIBER_SOURCE)
    .repartition({ name: VIBER_ROUTER_NAMES.accountByName, keySerde: serdes.key, valueSerde: serdes.channel })
    .groupByKey({ keySerde: serdes.key, valueSerde: serdes.channel })
    // A connected channel becomes the account; a disconnection counts only for that same channel.
    .reduce((current, next) => (next.connectionState === 'CONNECTED' || next.id === current.id ? next : current), {
      named: VIBER_ROUTER_NAMES.accountStore,
      materialized: { storeName: VIBER_ROUTER_NAMES.accountStore, keySerde: serdes.key, valueSerde: serdes.channel, persistent },
    });

  const parsed = builder
    .stream(VIBER_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, Parsed>(() => new ParseProcessor(), { named: VIBER_ROUTER_NAMES.parse });

  const conversational: KStream<string, Routed> = parsed
    .filter((_k, p) => p.kind === 'event')
    .repartition({ name: VIBER_ROUTER_NAMES.eventsByAccount, keySerde: serdes.key, valueSerde: Serdes.json<Parsed>() })
    .leftJoin(account, (p, channel) => resolve(p as Extract<Parsed, { kind: 'event' }>, channel), { named: VIBER_ROUTER_NAMES.accountJoin });

  builder.addStateStore(
    keyValueStoreBuilder<string, DeliveryState>({ name: VIBER_ROUTER_NAMES.deliveriesStore, keySerde: serdes.key, valueSerde: Serdes.json<DeliveryState>(), persistent }) as StoreBuilder<unknown>,
  );
  const sent = builder
    .stream(VIBER_MESSAGE_TOKENS_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.json<Message>() })
    .filter((_token, message) => message !== null)
    .mapValues((message): DeliveryInput => ({ kind: 'sent', message }));
  const deliveries: KStream<string, Routed> = parsed
    .filter((_k, p) => p.kind === 'status')
    .mapValues((p): DeliveryInput => ({ kind: 'status', status: (p as Extract<Parsed, { kind: 'status' }>).status }))
    .repartition({ name: VIBER_ROUTER_NAMES.statusesByToken, keySerde: serdes.key, valueSerde: Serdes.json<DeliveryInput>() })
    .merge(sent)
    .process<string, Routed>(() => new DeliveryProcessor(), { named: VIBER_ROUTER_NAMES.deliveries, stores: [VIBER_ROUTER_NAMES.deliveriesStore] });

  const dead: KStream<string, Routed> = parsed.filter((_k, p) => p.kind === 'dead').mapValues((p) => p as Routed);
  // Each branch writes on its own: merging them would fuse their sub-topologies into one that
  // reads the repartition topics it writes, whose partition count could not be worked out.
  for (const [name, routed] of [['conversations', conversational], ['deliveries', deliveries], ['dead-letters', dead]] as const) writeRouted(routed, serdes, name);
}

/** Writes routed records: messages, metadata, dead letters. */
function writeRouted(routed: KStream<string, Routed>, serdes: ModelSerdes, name: string): void {
  routed
    .flatMap((_k, r) => (r.kind === 'records' && r.message !== null ? [[r.message.id, r.message] as const] : []), { named: `viber-router-${name}-messages` })
    .to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message });
  routed
    .flatMap((_k, r) => (r.kind === 'records' ? r.metadata.map((m) => [metadataId(m.subject, m.key), m] as const) : []), { named: `viber-router-${name}-metadata` })
    .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
  routed
    .flatMap((_k, r) => (r.kind === 'dead' ? [[VIBER_SOURCE as string, r.letter] as const] : []), { named: `viber-router-${name}-dead-letters` })
    .to(VIBER_DEAD_LETTER_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.json<ViberDeadLetter>() });
}

/** The router as a Topology of its own. */
export function buildViberRouterTopology(options: ViberRouterOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addViberRouter(builder, options);
  return builder.build();
}

/** Parses a callback: conversation events keyed by the source name, statuses by token; `webhook` checks map to nothing. */
class ParseProcessor implements Processor<string, Buffer, string, Parsed> {
  #context!: ProcessorContext<string, Parsed>;

  init(context: ProcessorContext<string, Parsed>): void {
    this.#context = context;
  }

  process(record: StreamRecord<string, Buffer>): void {
    if (record.value === null) return; // a tombstone is no callback
    const raw = record.value.toString('utf8');
    let event: ViberEvent;
    try {
      event = parseViberEvent(record.value);
    } catch (err) {
      if (!isSourcesError(err)) throw err;
      this.#forward(record, VIBER_SOURCE, { kind: 'dead', letter: { code: err.code, reason: err.message, item: raw } });
      return;
    }
    switch (event.event) {
      case 'webhook':
        return;
      case 'unknown':
        this.#forward(record, VIBER_SOURCE, { kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: `Viber callback ${event.name} is not one Parley maps`, item: raw } });
        return;
      case 'delivered':
      case 'seen':
      case 'failed': {
        const status: ViberStatus = { status: event.event, token: event.message_token, timestamp: event.timestamp, desc: event.event === 'failed' ? (event.desc ?? null) : null };
        this.#forward(record, status.token, { kind: 'status', status });
        return;
      }
      default:
        this.#forward(record, VIBER_SOURCE, { kind: 'event', event, raw });
    }
  }

  #forward(record: StreamRecord<string, Buffer>, key: string, value: Parsed): void {
    this.#context.forward({ ...record, key, value });
  }
}

function resolve(parsed: Extract<Parsed, { kind: 'event' }>, channel: Channel | null): Routed {
  if (channel === null || channel.connectionState !== 'CONNECTED') {
    const reason = channel === null ? 'no Viber account is connected (channels.viber.connect)' : `Viber channel ${channel.id} is disconnected`;
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason, item: parsed.event } };
  }
  const id = deriveChannelId(VIBER_SOURCE, channel.sourceChannelId);
  return { kind: 'records', ...mapConversationEvent(parsed.event, id, parsed.raw) };
}

/** Applies delivery callbacks to the message sent with their token, whichever arrives first. */
class DeliveryProcessor implements Processor<string, DeliveryInput, string, Routed> {
  #context!: ProcessorContext<string, Routed>;
  #store!: TypedKeyValueStore<string, DeliveryState>;

  init(context: ProcessorContext<string, Routed>): void {
    this.#context = context;
    this.#store = context.getStateStore(VIBER_ROUTER_NAMES.deliveriesStore);
  }

  process(record: StreamRecord<string, DeliveryInput>): void {
    const token = record.key;
    if (token === null || record.value === null) return;
    const state: DeliveryState = this.#store.get(token) ?? { message: null, rank: 0, pending: [] };
    const input = record.value;
    const outputs: Routed[] = [];
    if (input.kind === 'sent') {
      state.message = input.message;
      for (const status of state.pending.sort((a, b) => a.timestamp - b.timestamp)) outputs.push(...apply(state, status));
      state.pending = [];
    } else if (state.message === null) {
      state.pending.push(input.status);
    } else {
      outputs.push(...apply(state, input.status));
    }
    this.#store.put(token, state);
    for (const value of outputs) this.#context.forward({ ...record, key: token, value });
  }
}

/** The records one callback causes, updating `state`; none when it would move the state backwards. */
function apply(state: DeliveryState, status: ViberStatus): Routed[] {
  const message = state.message!;
  const rank = RANK[status.status];
  if (status.status === 'failed' ? state.rank !== 0 : rank <= state.rank) return [];
  state.rank = rank;
  const subject = metadataSubject('message', message.id);
  const at = status.timestamp;
  const deliveryState = metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.sourceDeliveryState, value: status.status, timestamp: at });
  if (status.status !== 'failed') return [{ kind: 'records', message: null, metadata: [deliveryState] }];
  const reason = status.desc ?? 'Viber reported the message failed';
  const failedMessage: Message = { ...message, deliveryState: 'FAILED', updatedAt: Math.max(at, message.updatedAt ?? 0) };
  return [{ kind: 'records', message: failedMessage, metadata: [deliveryState, metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.error, value: reason, timestamp: at })] }];
}
