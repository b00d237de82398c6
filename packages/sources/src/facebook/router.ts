/**
 * The Messenger router: `source.facebook.events` (raw webhook bodies) → Message records,
 * message Metadata (reactions; delivery / read watermarks, see watermarks.ts) and tombstones
 * (unreactions). A reaction is first re-keyed by its `mid` and joined (in timestamp order) with
 * the mids the connector sent (`source.facebook.sent-mids`), so a reaction to a message Parley
 * sent lands on that message, as Airy's `source.id` lookup did. Items are re-keyed by channel id
 * (`channelId("facebook", PAGE_ID)`) and joined with the channels table in timestamp order; an
 * item whose channel is unknown, of another source or disconnected, and an event that does not
 * parse, go to `source.facebook.dead-letters` with the reason. Every id derives from the payload,
 * so re-routing the same raw records rewrites the same keys.
 */
import { COMMUNICATION_TOPICS, messageId, metadataId, type Channel } from '@parley/schemas';
import { Branched, Serdes, StreamsBuilder, type KStream, type Processor, type ProcessorContext, type StreamRecord, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { joinBySentId, reactionOutput, writeRoutedOutputs, type MetaRouted } from '../meta-graph/index.js';
import { FACEBOOK_DEAD_LETTER_TOPIC, FACEBOOK_EVENTS_TOPIC, FACEBOOK_SENT_MIDS_TOPIC, FACEBOOK_SOURCE } from './facebook-topics.js';
import { mapFacebookWebhook, type FacebookDeadLetter, type FacebookItem } from './mapping.js';
import { sentMessageOf, watermarkApplier, type Watermark, type WatermarkInput } from './watermarks.js';

/** Names of the router's processors and store (part of the topology fingerprint). */
export const FACEBOOK_ROUTER_NAMES = Object.freeze({
  channelsStore: 'facebook-router-channels',
  parse: 'facebook-router-parse',
  byChannel: 'facebook-router-by-channel',
  channelJoin: 'facebook-router-channel-join',
  split: 'facebook-router-',
  /** Reactions by mid, joined with the mids the connector sent (`source.facebook.sent-mids`). */
  reactions: 'facebook-router-reactions-',
  reactionsByMid: 'facebook-router-reactions-by-mid',
  sentMidsStore: 'facebook-router-sent-mids',
  sentJoin: 'facebook-router-sent-join',
  /** Watermarks and the page's sent messages, by conversation (watermarks.ts). */
  unreadStore: 'facebook-router-unread',
  sentByConversation: 'facebook-router-sent-by-conversation',
  watermarksByConversation: 'facebook-router-watermarks-by-conversation',
  applyWatermarks: 'facebook-router-apply-watermarks',
});

export interface FacebookRouterOptions {
  /** Our Meta app id: its echoes are dropped. */
  appId: string;
  serdes?: ModelSerdes;
}

type WatermarkRouted = { kind: 'watermark'; conversationId: string; watermark: Watermark };
type Routed = MetaRouted<FacebookDeadLetter> | WatermarkRouted;
type ReactionItem = Extract<FacebookItem, { kind: 'reaction' }>;

const channelOf = (item: FacebookItem): string => (item as { channelId: string }).channelId;

/** Adds the router to `builder`. */
export function addFacebookRouter(builder: StreamsBuilder, options: FacebookRouterOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const itemSerde = Serdes.json<FacebookItem>();
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: FACEBOOK_ROUTER_NAMES.channelsStore } });
  const sentMids = builder.table(FACEBOOK_SENT_MIDS_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.string(), materialized: { storeName: FACEBOOK_ROUTER_NAMES.sentMidsStore } });
  const parts = builder
    .stream(FACEBOOK_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, FacebookItem>(() => new ParseProcessor(options.appId), { named: FACEBOOK_ROUTER_NAMES.parse })
    .split({ named: FACEBOOK_ROUTER_NAMES.reactions })
    .branch((_k, v) => v.kind === 'reaction', Branched.as('reaction'))
    .defaultBranch(Branched.as('other'));
  // A reaction names its message by mid: the message the connector sent under it, else the inbound one stored as messageId(channel, mid).
  const reactions = joinBySentId(
    parts[`${FACEBOOK_ROUTER_NAMES.reactions}reaction`]!,
    { sentIdOf: (v) => (v as ReactionItem).reaction.mid, channelOf },
    sentMids,
    (item, sentAs) => reactionItem(item as ReactionItem, sentAs),
    { repartition: FACEBOOK_ROUTER_NAMES.reactionsByMid, join: FACEBOOK_ROUTER_NAMES.sentJoin },
    { key: serdes.key, item: itemSerde },
  );
  const routed = parts[`${FACEBOOK_ROUTER_NAMES.reactions}other`]!
    .merge(reactions)
    .repartition({ name: FACEBOOK_ROUTER_NAMES.byChannel, keySerde: serdes.key, valueSerde: itemSerde })
    .leftJoin(channels, (item, channel) => resolve(item, channel), { named: FACEBOOK_ROUTER_NAMES.channelJoin });
  writeRoutedOutputs<FacebookDeadLetter, WatermarkRouted>(routed, {
    named: FACEBOOK_ROUTER_NAMES.split,
    serdes,
    deadLetterTopic: FACEBOOK_DEAD_LETTER_TOPIC,
    deadLetterKey: (letter) => letter.page_id,
    extraBranches: [{ name: 'watermarks', kind: 'watermark', consume: (s) => applyWatermarks(builder, s as KStream<string, WatermarkRouted>, serdes) }],
  });
}

/** The reaction's metadata or tombstones, on the Parley message `sentAs` (sent by the connector) or the one stored under the mid. */
function reactionItem(item: ReactionItem, sentAs: string | null): FacebookItem {
  return { ...reactionOutput(sentAs ?? messageId(item.channelId, item.reaction.mid), item.reaction), channelId: item.channelId, pageId: item.pageId };
}

/** The page's messages (sent by Parley, another app or the inbox), by conversation, meet the watermarks. */
function applyWatermarks(builder: StreamsBuilder, watermarks: KStream<string, WatermarkRouted>, serdes: ModelSerdes): void {
  const sent = builder
    .stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message })
    .filter((_id, m) => m !== null && m.source === FACEBOOK_SOURCE && m.senderType !== 'CONTACT' && m.deliveryState === 'DELIVERED')
    .map((_id, m): [string, WatermarkInput] => [m.conversationId, sentMessageOf(m)])
    .repartition({ name: FACEBOOK_ROUTER_NAMES.sentByConversation, keySerde: serdes.key, valueSerde: Serdes.json<WatermarkInput>() });
  watermarks
    .map((_k, v): [string, WatermarkInput] => [v.conversationId, v.watermark])
    .repartition({ name: FACEBOOK_ROUTER_NAMES.watermarksByConversation, keySerde: serdes.key, valueSerde: Serdes.json<WatermarkInput>() })
    .merge(sent)
    .process(watermarkApplier(FACEBOOK_ROUTER_NAMES.unreadStore), { named: FACEBOOK_ROUTER_NAMES.applyWatermarks })
    .flatMap((_k, records) => records.map((r) => [metadataId(r.subject, r.key), r] as const))
    .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
}

/** The router as a Topology of its own. */
export function buildFacebookRouterTopology(options: FacebookRouterOptions): Topology {
  const builder = new StreamsBuilder();
  addFacebookRouter(builder, options);
  return builder.build();
}

/** Maps one raw body to its items, keyed by channel id (a dead letter keeps the raw key, the page id). */
class ParseProcessor implements Processor<string, Buffer, string, FacebookItem> {
  readonly #appId: string;
  #context!: ProcessorContext<string, FacebookItem>;

  constructor(appId: string) {
    this.#appId = appId;
  }

  init(context: ProcessorContext<string, FacebookItem>): void {
    this.#context = context;
  }

  process(record: StreamRecord<string, Buffer>): void {
    if (record.value === null) return;
    const key = record.key ?? '';
    for (const item of mapFacebookWebhook(record.value, this.#appId, key)) {
      this.#context.forward({ ...record, key: item.kind === 'dead' ? item.letter.page_id : item.channelId, value: item });
    }
  }
}

function resolve(item: FacebookItem, channel: Channel | null): Routed {
  if (item.kind === 'dead') return item;
  if (channel === null || channel.source !== FACEBOOK_SOURCE || channel.connectionState !== 'CONNECTED') {
    const reason = channel === null || channel.source !== FACEBOOK_SOURCE ? `no Facebook channel for page ${item.pageId}` : `the channel of page ${item.pageId} is disconnected`;
    const event = item.kind === 'message' ? item.message : item.kind === 'metadata' ? item.records : item.kind === 'watermark' ? { state: item.state, watermark: item.watermark } : item.kind === 'reaction' ? item.reaction : item.keys;
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason, page_id: item.pageId, event } };
  }
  switch (item.kind) {
    case 'message':
      return { kind: 'message', message: item.message };
    case 'metadata':
      return { kind: 'metadata', records: item.records };
    case 'tombstones':
      return { kind: 'tombstones', keys: item.keys };
    case 'watermark':
      return { kind: 'watermark', conversationId: item.conversationId, watermark: { kind: 'watermark', state: item.state, watermark: item.watermark } };
    case 'reaction':
      throw new TypeError('reactions are resolved by mid before the channel join');
  }
}
