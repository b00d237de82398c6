/**
 * The Instagram router: `source.instagram.events` → Message records, message Metadata
 * (reactions) and tombstones, with dead letters like Facebook's router. One step more: Instagram
 * echoes carry no app id, so an echo is first re-keyed by its `mid` and joined (in timestamp
 * order) with the table of mids the connector sent (`source.instagram.sent-mids`, stamped with
 * the time the send began, before Meta could echo it): a match is Parley's own message, already
 * stored, and is dropped; any other echo (sent from the Instagram app) becomes a USER message.
 * Seen marks (`read`, `messaging_seen`) and reactions take the same way, to set
 * `source.delivery_state = read`, or the reaction, on the Parley message the mid names.
 */
import { COMMUNICATION_TOPICS, MESSAGE_METADATA_KEYS, messageId, metadataRecord, metadataSubject, type Channel } from '@parley/schemas';
import { Branched, Serdes, StreamsBuilder, type Processor, type ProcessorContext, type StreamRecord, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { joinBySentId, reactionOutput, writeRoutedOutputs, type MetaRouted } from '../meta-graph/index.js';
import { INSTAGRAM_DEAD_LETTER_TOPIC, INSTAGRAM_EVENTS_TOPIC, INSTAGRAM_SENT_MIDS_TOPIC, INSTAGRAM_SOURCE } from './instagram-topics.js';
import { mapInstagramWebhook, type InstagramDeadLetter, type InstagramItem } from './mapping.js';

/** Names of the router's processors, stores and internal topics (part of the topology fingerprint). */
export const INSTAGRAM_ROUTER_NAMES = Object.freeze({
  channelsStore: 'instagram-router-channels',
  sentMidsStore: 'instagram-router-sent-mids',
  parse: 'instagram-router-parse',
  echoes: 'instagram-router-echoes-',
  byMid: 'instagram-router-echoes-by-mid',
  sentJoin: 'instagram-router-sent-join',
  byChannel: 'instagram-router-by-channel',
  channelJoin: 'instagram-router-channel-join',
  split: 'instagram-router-',
});

type EchoItem = Extract<InstagramItem, { kind: 'echo' }>;
type SeenItem = Extract<InstagramItem, { kind: 'seen' }>;
type ReactionItem = Extract<InstagramItem, { kind: 'reaction' }>;
type ByMidItem = EchoItem | SeenItem | ReactionItem;

/**
 * An echo, seen mark or reaction, given the Parley id of the message the connector sent under its
 * mid (null when Parley did not send it): Parley's own echo is dropped, another one kept; a seen
 * mark becomes `source.delivery_state = read` of Parley's message, or of the message stored under
 * the mid; a reaction, its metadata or tombstones on that same message.
 */
function bySentMid(item: ByMidItem, sentAs: string | null): InstagramItem | null {
  if (item.kind === 'echo') return sentAs === null ? item : null;
  const target = sentAs ?? messageId(item.channelId, item.mid);
  if (item.kind === 'reaction') return { ...reactionOutput(target, item.reaction), channelId: item.channelId, accountId: item.accountId };
  const subject = metadataSubject('message', target);
  return { kind: 'metadata', channelId: item.channelId, accountId: item.accountId, records: [metadataRecord({ subject, key: MESSAGE_METADATA_KEYS.sourceDeliveryState, value: 'read', timestamp: item.timestamp })] };
}

type Routed = MetaRouted<InstagramDeadLetter>;

const channelOf = (item: InstagramItem): string => (item as { channelId: string }).channelId;

/** Adds the router to `builder`. */
export function addInstagramRouter(builder: StreamsBuilder, options: { serdes?: ModelSerdes } = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  const itemSerde = Serdes.json<InstagramItem>();
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: INSTAGRAM_ROUTER_NAMES.channelsStore } });
  const sentMids = builder.table(INSTAGRAM_SENT_MIDS_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.string(), materialized: { storeName: INSTAGRAM_ROUTER_NAMES.sentMidsStore } });
  const items = builder
    .stream(INSTAGRAM_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, InstagramItem>(() => new ParseProcessor(), { named: INSTAGRAM_ROUTER_NAMES.parse });
  const parts = items
    .split({ named: INSTAGRAM_ROUTER_NAMES.echoes })
    .branch((_k, v) => v.kind === 'echo' || v.kind === 'seen' || v.kind === 'reaction', Branched.as('echo'))
    .defaultBranch(Branched.as('other'));
  const echoes = parts[`${INSTAGRAM_ROUTER_NAMES.echoes}echo`]!;
  const others = parts[`${INSTAGRAM_ROUTER_NAMES.echoes}other`]!;
  const foreignEchoes = joinBySentId(
    echoes,
    { sentIdOf: (v) => (v as ByMidItem).mid, channelOf },
    sentMids,
    (item, sentAs) => bySentMid(item as ByMidItem, sentAs),
    { repartition: INSTAGRAM_ROUTER_NAMES.byMid, join: INSTAGRAM_ROUTER_NAMES.sentJoin },
    { key: serdes.key, item: itemSerde },
  );
  const routed = others
    .merge(foreignEchoes)
    .repartition({ name: INSTAGRAM_ROUTER_NAMES.byChannel, keySerde: serdes.key, valueSerde: itemSerde })
    .leftJoin(channels, (item, channel) => resolve(item, channel), { named: INSTAGRAM_ROUTER_NAMES.channelJoin });
  writeRoutedOutputs(routed, { named: INSTAGRAM_ROUTER_NAMES.split, serdes, deadLetterTopic: INSTAGRAM_DEAD_LETTER_TOPIC, deadLetterKey: (letter: InstagramDeadLetter) => letter.account_id });
}

/** The router as a Topology of its own. */
export function buildInstagramRouterTopology(options: { serdes?: ModelSerdes } = {}): Topology {
  const builder = new StreamsBuilder();
  addInstagramRouter(builder, options);
  return builder.build();
}

/** Maps one raw body to its items, keyed by channel id (a dead letter keeps the raw key, the account id). */
class ParseProcessor implements Processor<string, Buffer, string, InstagramItem> {
  #context!: ProcessorContext<string, InstagramItem>;

  init(context: ProcessorContext<string, InstagramItem>): void {
    this.#context = context;
  }

  process(record: StreamRecord<string, Buffer>): void {
    if (record.value === null) return;
    for (const item of mapInstagramWebhook(record.value, record.key ?? '')) {
      this.#context.forward({ ...record, key: item.kind === 'dead' ? item.letter.account_id : item.channelId, value: item });
    }
  }
}

function resolve(item: InstagramItem, channel: Channel | null): Routed {
  if (item.kind === 'dead') return item;
  if (channel === null || channel.source !== INSTAGRAM_SOURCE || channel.connectionState !== 'CONNECTED') {
    const reason = channel === null || channel.source !== INSTAGRAM_SOURCE ? `no Instagram channel for account ${item.accountId}` : `the channel of account ${item.accountId} is disconnected`;
    const event = item.kind === 'message' || item.kind === 'echo' ? item.message : item.kind === 'metadata' ? item.records : item.kind === 'seen' || item.kind === 'reaction' ? { mid: item.mid } : item.keys;
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason, account_id: item.accountId, event } };
  }
  switch (item.kind) {
    case 'message':
    case 'echo':
      return { kind: 'message', message: item.message };
    case 'metadata':
      return { kind: 'metadata', records: item.records };
    case 'seen':
    case 'reaction':
      throw new TypeError('seen marks and reactions are resolved by mid before the channel join');
    case 'tombstones':
      return { kind: 'tombstones', keys: item.keys };
  }
}
