/**
 * A Twilio provider's router: `source.twilio-<kind>.events` →
 *
 * - inbound messages → re-keyed by channel (`channelId(source, To)`), joined with the channels
 *   table → Message records (id `messageId(channel, MessageSid)`: Twilio's retries rewrite the same
 *   record) plus `contact.display_name` from WhatsApp's `ProfileName`; an unknown or
 *   disconnected channel → the dead-letter topic with the reason;
 * - status callbacks → keyed by the message they name, folded into the furthest status seen per
 *   message (out-of-order callbacks never move it back) → message metadata
 *   `source.delivery_state`; `undelivered`/`failed`/`canceled` also turn the stored message
 *   FAILED with `error` (a table-table join with the messages, so a FAILED callback arriving
 *   before the connector's DELIVERED record still wins). Status callbacks never become messages.
 */
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import {
  channelId,
  COMMUNICATION_TOPICS,
  CONVERSATION_METADATA_KEYS,
  conversationId,
  MESSAGE_METADATA_KEYS,
  messageId,
  metadataId,
  metadataRecord,
  metadataSubject,
  type Channel,
  type Message,
  type Metadata,
} from '@parley/schemas';
import { Branched, Serdes, StreamsBuilder, type Processor, type ProcessorContext, type StreamRecord, type Topology } from '@parley/streams';
import { isSourcesError, type SourcesErrorCode } from '../errors.js';
import { parseTwilioEvent, TWILIO_FAILED_STATUSES, TWILIO_STATUS_RANK, type TwilioInbound } from './mapping.js';
import type { TwilioNames } from './twilio-names.js';

/** A dead letter as written to `source.twilio-<kind>.dead-letters` (JSON). */
export interface TwilioDeadLetter {
  code: SourcesErrorCode;
  reason: string;
  /** The raw body when it did not parse, else the parsed event. */
  item: unknown;
}

/** The furthest status of one outbound message. */
export interface TwilioStatusState {
  messageId: string;
  status: string;
  rank: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** When the callback was received (the raw record's time). */
  at: number;
}

type Parsed =
  | { kind: 'inbound'; event: TwilioInbound; receivedAt: number }
  | { kind: 'status'; state: TwilioStatusState }
  | { kind: 'dead'; letter: TwilioDeadLetter };
type Routed = { kind: 'message'; message: Message; metadata: Metadata[] } | { kind: 'dead'; letter: TwilioDeadLetter };

export function twilioRouterNames(names: TwilioNames) {
  const p = names.provider;
  return Object.freeze({
    parse: `${p}-router-parse`,
    split: `${p}-router-`,
    channelsStore: `${p}-router-channels`,
    byChannel: `${p}-router-by-channel`,
    byMessage: `${p}-router-by-message`,
    channelJoin: `${p}-router-channel-join`,
    statusStore: `${p}-router-statuses`,
    messagesStore: `${p}-router-messages`,
    failedJoin: `${p}-router-failed-join`,
  });
}

export interface TwilioRouterOptions {
  serdes?: ModelSerdes;
}

/** The router as a Topology of its own. */
export function buildTwilioRouterTopology(names: TwilioNames, options: TwilioRouterOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addTwilioRouter(builder, names, options);
  return builder.build();
}

export function addTwilioRouter(builder: StreamsBuilder, names: TwilioNames, options: TwilioRouterOptions = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  const n = twilioRouterNames(names);
  const dead = Serdes.json<TwilioDeadLetter>();
  const branches = builder
    .stream(names.eventsTopic, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, Parsed>(() => new ParseProcessor(names), { named: n.parse })
    .split({ named: n.split })
    .branch((_k, v) => v.kind === 'inbound', Branched.as('inbound'))
    .branch((_k, v) => v.kind === 'status', Branched.as('status'))
    .defaultBranch(Branched.as('dead'));

  branches[`${n.split}dead`]!.map((_k, v) => [names.provider, (v as { letter: TwilioDeadLetter }).letter] as const).to(names.deadLetterTopic, { keySerde: serdes.key, valueSerde: dead });

  // Inbound: joined in timestamp order with the channels (a table, not a global table, so a
  // message sent right after its channel was connected finds it).
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: n.channelsStore } });
  const routed = branches[`${n.split}inbound`]!
    .repartition({ name: n.byChannel, keySerde: serdes.key, valueSerde: Serdes.json<Parsed>() })
    .leftJoin(channels, (parsed, channel) => route(names, parsed as Extract<Parsed, { kind: 'inbound' }>, channel), { named: n.channelJoin });
  routed
    .filter((_k, v) => v.kind === 'dead')
    .map((_k, v) => [names.provider, (v as { letter: TwilioDeadLetter }).letter] as const)
    .to(names.deadLetterTopic, { keySerde: serdes.key, valueSerde: dead });
  const messages = routed.filter((_k, v) => v.kind === 'message').mapValues((v) => v as Extract<Routed, { kind: 'message' }>);
  messages.map((_k, v) => [v.message.id, v.message] as const).to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message });
  messages.flatMap((_k, v) => v.metadata.map((r) => [metadataId(r.subject, r.key), r] as const)).to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });

  // Status callbacks: the furthest status per message.
  const statuses = branches[`${n.split}status`]!
    .mapValues((v) => (v as Extract<Parsed, { kind: 'status' }>).state)
    .groupByKey({ keySerde: serdes.key, valueSerde: Serdes.json<TwilioStatusState>(), name: n.byMessage })
    .aggregate<TwilioStatusState | null>(() => null, (_k, next, current) => (current === null || next.rank > current.rank ? next : current), {
      materialized: { storeName: n.statusStore, keySerde: serdes.key, valueSerde: Serdes.json<TwilioStatusState | null>() },
    });
  statuses
    .toStream()
    .flatMap((_k, state) => (state === null ? [] : statusMetadata(state).map((r) => [metadataId(r.subject, r.key), r] as const)))
    .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
  const stored = builder.table(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message, materialized: { storeName: n.messagesStore } });
  statuses
    .join(stored, (state, message): Message | null => failedMessage(names, state, message), { named: n.failedJoin })
    .toStream()
    .filter((_k, m) => m !== null)
    .map((_k, m) => [m!.id, m!] as const)
    .to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message });
}

/** Parses a raw body; stamps inbound messages with the raw record's time (Twilio sends none). */
class ParseProcessor implements Processor<string, Buffer, string, Parsed> {
  #context!: ProcessorContext<string, Parsed>;
  constructor(private readonly names: TwilioNames) {}

  init(context: ProcessorContext<string, Parsed>): void {
    this.#context = context;
  }

  process(record: StreamRecord<string, Buffer>): void {
    if (record.value === null) return;
    let key: string;
    let value: Parsed;
    try {
      const event = parseTwilioEvent(record.value);
      if (event.kind === 'inbound') {
        key = channelId(this.names.source, event.to);
        value = { kind: 'inbound', event, receivedAt: record.timestamp };
      } else if (record.key === null) {
        key = this.names.provider;
        value = { kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: `status callback of ${event.messageSid} without ?message_id= in its URL: it names no message of ours`, item: event } };
      } else {
        key = record.key;
        value = { kind: 'status', state: { messageId: record.key, status: event.status, rank: TWILIO_STATUS_RANK[event.status]!, errorCode: event.errorCode, errorMessage: event.errorMessage, at: record.timestamp } };
      }
    } catch (err) {
      if (!isSourcesError(err)) throw err;
      key = this.names.provider;
      value = { kind: 'dead', letter: { code: err.code, reason: err.message, item: record.value.toString('utf8') } };
    }
    this.#context.forward({ ...record, key, value });
  }
}

function route(names: TwilioNames, parsed: Extract<Parsed, { kind: 'inbound' }>, channel: Channel | null): Routed {
  const { event, receivedAt } = parsed;
  if (channel === null || channel.source !== names.source || channel.connectionState !== 'CONNECTED') {
    const reason = channel === null || channel.source !== names.source ? `there is no ${names.source} channel ${event.to}` : `${names.source} channel ${event.to} is disconnected`;
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason, item: event } };
  }
  const conversation = conversationId(channel.id, event.from);
  const message: Message = {
    id: messageId(channel.id, event.messageSid),
    headers: null,
    senderType: 'CONTACT',
    senderId: event.from,
    deliveryState: 'DELIVERED',
    conversationId: conversation,
    channelId: channel.id,
    source: names.source,
    sourceRecipientId: null,
    content: JSON.stringify(event.content),
    sentAt: receivedAt,
    updatedAt: null,
  };
  const metadata =
    event.profileName === undefined
      ? []
      : [metadataRecord({ subject: metadataSubject('conversation', conversation), key: CONVERSATION_METADATA_KEYS.contactDisplayName, value: event.profileName, timestamp: receivedAt })];
  return { kind: 'message', message, metadata };
}

function statusMetadata(state: TwilioStatusState): Metadata[] {
  const subject = metadataSubject('message', state.messageId);
  const records = [metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.sourceDeliveryState, value: state.status, timestamp: state.at })];
  if (TWILIO_FAILED_STATUSES.has(state.status)) {
    records.push(metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.error, value: failureReason(state), timestamp: state.at }));
  }
  return records;
}

/** The message as FAILED when its furthest status is a failure and it is not FAILED yet; else null. */
function failedMessage(names: TwilioNames, state: TwilioStatusState | null, message: Message): Message | null {
  if (state === null || !TWILIO_FAILED_STATUSES.has(state.status) || message.source !== names.source || message.deliveryState === 'FAILED') return null;
  return { ...message, deliveryState: 'FAILED', updatedAt: Math.max(state.at, message.updatedAt ?? 0) };
}

function failureReason(state: TwilioStatusState): string {
  const code = state.errorCode === null ? '' : ` (Twilio error ${state.errorCode})`;
  return `Twilio reported the message ${state.status}${code}${state.errorMessage === null ? '' : `: ${state.errorMessage}`}`;
}
