/**
 * The WhatsApp router: `source.whatsapp.events` → Message records (inbound), conversation
 * metadata (contact names), message metadata (reactions) and tombstones, joined with the channels
 * table like the other routers (a reaction first finds, by wamid in `source.whatsapp.sent`, the
 * message Parley sent that it reacts to); and `statuses[]` → the outbound message they name: each status is
 * re-keyed by its wamid and joined, in timestamp order, with `source.whatsapp.sent` (what the
 * connector sent, stamped with the time the send began, before WhatsApp could report on it).
 * `sent`, `delivered`, `read` set message metadata `source.delivery_state`; `failed` rewrites the
 * message FAILED with `error` (WhatsApp's error message) and `source.error` (its errors JSON).
 * Unknown or disconnected channels, elements that do not parse, and statuses of messages Parley
 * did not send go to `source.whatsapp.dead-letters` with the reason.
 */
import { COMMUNICATION_TOPICS, MESSAGE_METADATA_KEYS, metadataRecord, metadataSubject, type Channel, type Message } from '@parley/schemas';
import { Branched, Serdes, StreamsBuilder, type Processor, type ProcessorContext, type StreamRecord, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { joinBySentId, reactionOutput, writeRoutedOutputs, type MetaRouted } from '../meta-graph/index.js';
import { WHATSAPP_DEAD_LETTER_TOPIC, WHATSAPP_EVENTS_TOPIC, WHATSAPP_SENT_TOPIC, WHATSAPP_SOURCE } from './whatsapp-topics.js';
import { mapWhatsAppWebhook, whatsappMessageId, type WhatsAppDeadLetter, type WhatsAppItem } from './mapping.js';

/** Names of the router's processors, stores and internal topics (part of the topology fingerprint). */
export const WHATSAPP_ROUTER_NAMES = Object.freeze({
  channelsStore: 'whatsapp-router-channels',
  sentStore: 'whatsapp-router-sent',
  parse: 'whatsapp-router-parse',
  kinds: 'whatsapp-router-kinds-',
  byWamid: 'whatsapp-router-statuses-by-wamid',
  sentJoin: 'whatsapp-router-sent-join',
  /** Reactions by wamid, joined with the same sent table. */
  reactionsByWamid: 'whatsapp-router-reactions-by-wamid',
  reactionSentJoin: 'whatsapp-router-reaction-sent-join',
  byChannel: 'whatsapp-router-by-channel',
  channelJoin: 'whatsapp-router-channel-join',
  split: 'whatsapp-router-',
});

type Routed = MetaRouted<WhatsAppDeadLetter>;
type StatusItem = Extract<WhatsAppItem, { kind: 'status' }>;
type ReactionItem = Extract<WhatsAppItem, { kind: 'reaction' }>;

const channelOf = (item: WhatsAppItem): string => (item as { channelId: string }).channelId;

/** Adds the router to `builder`. */
export function addWhatsAppRouter(builder: StreamsBuilder, options: { serdes?: ModelSerdes } = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  const itemSerde = Serdes.json<WhatsAppItem>();
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: WHATSAPP_ROUTER_NAMES.channelsStore } });
  const sent = builder.table(WHATSAPP_SENT_TOPIC, { keySerde: serdes.key, valueSerde: serdes.message, materialized: { storeName: WHATSAPP_ROUTER_NAMES.sentStore } });
  const parts = builder
    .stream(WHATSAPP_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, WhatsAppItem>(() => new ParseProcessor(), { named: WHATSAPP_ROUTER_NAMES.parse })
    .split({ named: WHATSAPP_ROUTER_NAMES.kinds })
    .branch((_k, v) => v.kind === 'status', Branched.as('status'))
    .branch((_k, v) => v.kind === 'reaction', Branched.as('reaction'))
    .defaultBranch(Branched.as('other'));
  const statuses = parts[`${WHATSAPP_ROUTER_NAMES.kinds}status`]!
    .repartition({ name: WHATSAPP_ROUTER_NAMES.byWamid, keySerde: serdes.key, valueSerde: itemSerde })
    .leftJoin(sent, (item, message) => applyStatus(item as StatusItem, message), { named: WHATSAPP_ROUTER_NAMES.sentJoin })
    .flatMap((key, outputs) => outputs.map((output) => [key, output] as const));
  // A reaction to a message Parley sent lands on that message; then it takes the channel join like the rest.
  const reactions = joinBySentId(
    parts[`${WHATSAPP_ROUTER_NAMES.kinds}reaction`]!,
    { sentIdOf: (v) => (v as ReactionItem).wamid, channelOf },
    sent,
    (item, message) => reactionItem(item as ReactionItem, message),
    { repartition: WHATSAPP_ROUTER_NAMES.reactionsByWamid, join: WHATSAPP_ROUTER_NAMES.reactionSentJoin },
    { key: serdes.key, item: itemSerde },
  );
  const routed = parts[`${WHATSAPP_ROUTER_NAMES.kinds}other`]!
    .merge(reactions)
    .repartition({ name: WHATSAPP_ROUTER_NAMES.byChannel, keySerde: serdes.key, valueSerde: itemSerde })
    .leftJoin(channels, (item, channel) => resolve(item, channel), { named: WHATSAPP_ROUTER_NAMES.channelJoin })
    .merge(statuses);
  writeRoutedOutputs(routed, { named: WHATSAPP_ROUTER_NAMES.split, serdes, deadLetterTopic: WHATSAPP_DEAD_LETTER_TOPIC, deadLetterKey: (letter: WhatsAppDeadLetter) => letter.phone_number_id });
}

/** The router as a Topology of its own. */
export function buildWhatsAppRouterTopology(options: { serdes?: ModelSerdes } = {}): Topology {
  const builder = new StreamsBuilder();
  addWhatsAppRouter(builder, options);
  return builder.build();
}

/** Maps one raw body to its items: statuses keyed by wamid, the rest by channel id, dead letters by phone number id. */
class ParseProcessor implements Processor<string, Buffer, string, WhatsAppItem> {
  #context!: ProcessorContext<string, WhatsAppItem>;

  init(context: ProcessorContext<string, WhatsAppItem>): void {
    this.#context = context;
  }

  process(record: StreamRecord<string, Buffer>): void {
    if (record.value === null) return;
    for (const item of mapWhatsAppWebhook(record.value, record.key ?? '')) {
      const key = item.kind === 'dead' ? item.letter.phone_number_id : item.kind === 'status' ? item.status.id : item.channelId;
      this.#context.forward({ ...record, key, value: item });
    }
  }
}

function resolve(item: WhatsAppItem, channel: Channel | null): Routed {
  if (item.kind === 'dead') return item;
  if (item.kind === 'status' || item.kind === 'reaction') throw new TypeError('statuses and reactions are routed by wamid');
  if (channel === null || channel.source !== WHATSAPP_SOURCE || channel.connectionState !== 'CONNECTED') {
    const reason = channel === null || channel.source !== WHATSAPP_SOURCE ? `no WhatsApp channel for phone number id ${item.phoneNumberId}` : `the channel of phone number id ${item.phoneNumberId} is disconnected`;
    const event = item.kind === 'message' ? item.message : item.kind === 'metadata' ? item.records : item.keys;
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason, phone_number_id: item.phoneNumberId, event } };
  }
  switch (item.kind) {
    case 'message':
      return { kind: 'message', message: item.message };
    case 'metadata':
      return { kind: 'metadata', records: item.records };
    case 'tombstones':
      return { kind: 'tombstones', keys: item.keys };
  }
}

/** The reaction's metadata or tombstones, on the message Parley sent under the wamid, else the inbound message of that wamid. */
function reactionItem(item: ReactionItem, sent: Message | null): WhatsAppItem {
  return { ...reactionOutput(sent?.id ?? whatsappMessageId(item.wamid), item.reaction), channelId: item.channelId, phoneNumberId: item.phoneNumberId };
}

/** A status applied to the message Parley sent under its wamid (a dead letter when there is none). */
function applyStatus(item: StatusItem, sent: Message | null): Routed[] {
  const { status } = item;
  if (sent === null) {
    return [{ kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: `status ${status.status} of ${status.id}: Parley sent no message with this id`, phone_number_id: item.phoneNumberId, event: status } }];
  }
  const subject = metadataSubject('message', sent.id);
  const state = metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.sourceDeliveryState, value: status.status, timestamp: status.timestamp });
  if (status.status !== 'failed') return [{ kind: 'metadata', records: [state] }];
  const first = status.errors?.[0];
  const reason = first?.message ?? first?.title ?? 'WhatsApp could not deliver the message';
  return [
    { kind: 'message', message: { ...sent, deliveryState: 'FAILED', updatedAt: Math.max(status.timestamp, sent.updatedAt ?? 0) } },
    {
      kind: 'metadata',
      records: [
        state,
        metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.error, value: reason, timestamp: status.timestamp }),
        metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.sourceError, value: JSON.stringify(status.errors ?? []), timestamp: status.timestamp }),
      ],
    },
  ];
}
