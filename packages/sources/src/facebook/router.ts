/**
 * The Messenger router: `source.facebook.events` (raw webhook bodies) → Message records,
 * message Metadata (reactions; delivery / read watermarks, see watermarks.ts) and tombstones
 * (unreactions). Items are re-keyed by channel id (`channelId("facebook", PAGE_ID)`) and joined
 * with the channels table in timestamp order;
 * an item whose channel is unknown, of another source or disconnected, and an event that does not
 * parse, go to `source.facebook.dead-letters` with the reason. Every id derives from the payload,
 * so re-routing the same raw records rewrites the same keys.
 */
import { COMMUNICATION_TOPICS, metadataId, type Channel, type Message, type Metadata } from '@parley/schemas';
import { Branched, Serdes, StreamsBuilder, type Processor, type ProcessorContext, type StreamRecord, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { FACEBOOK_DEAD_LETTER_TOPIC, FACEBOOK_EVENTS_TOPIC, FACEBOOK_SOURCE } from './facebook-topics.js';
import { mapFacebookWebhook, type FacebookDeadLetter, type FacebookItem } from './mapping.js';
import { sentMessageOf, watermarkApplier, type Watermark, type WatermarkInput } from './watermarks.js';

/** Names of the router's processors and store (part of the topology fingerprint). */
export const FACEBOOK_ROUTER_NAMES = Object.freeze({
  channelsStore: 'facebook-router-channels',
  parse: 'facebook-router-parse',
  byChannel: 'facebook-router-by-channel',
  channelJoin: 'facebook-router-channel-join',
  split: 'facebook-router-',
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

type Routed =
  | { kind: 'message'; message: Message }
  | { kind: 'metadata'; records: Metadata[] }
  | { kind: 'tombstones'; keys: string[] }
  | { kind: 'watermark'; conversationId: string; watermark: Watermark }
  | { kind: 'dead'; letter: FacebookDeadLetter };

/** Adds the router to `builder`. */
export function addFacebookRouter(builder: StreamsBuilder, options: FacebookRouterOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: FACEBOOK_ROUTER_NAMES.channelsStore } });
  const routed = builder
    .stream(FACEBOOK_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, FacebookItem>(() => new ParseProcessor(options.appId), { named: FACEBOOK_ROUTER_NAMES.parse })
    .repartition({ name: FACEBOOK_ROUTER_NAMES.byChannel, keySerde: serdes.key, valueSerde: Serdes.json<FacebookItem>() })
    .leftJoin(channels, (item, channel) => resolve(item, channel), { named: FACEBOOK_ROUTER_NAMES.channelJoin });
  routed
    .split({ named: FACEBOOK_ROUTER_NAMES.split })
    .branch(
      (_k, v) => v.kind === 'message',
      Branched.withConsumer((s) => s.map((_k, v) => [messageOf(v).id, messageOf(v)] as const).to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message }), 'messages'),
    )
    .branch(
      (_k, v) => v.kind === 'metadata',
      Branched.withConsumer((s) =>
        s.flatMap((_k, v) => (v as { records: Metadata[] }).records.map((r) => [metadataId(r.subject, r.key), r] as const)).to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata }),
      'metadata'),
    )
    .branch(
      (_k, v) => v.kind === 'watermark',
      Branched.withConsumer((s) => {
        // The page's messages (sent by Parley, another app or the inbox), by conversation, meet the watermarks.
        const sent = builder
          .stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message })
          .filter((_id, m) => m !== null && m.source === FACEBOOK_SOURCE && m.senderType !== 'CONTACT' && m.deliveryState === 'DELIVERED')
          .map((_id, m): [string, WatermarkInput] => [m.conversationId, sentMessageOf(m)])
          .repartition({ name: FACEBOOK_ROUTER_NAMES.sentByConversation, keySerde: serdes.key, valueSerde: Serdes.json<WatermarkInput>() });
        s.map((_k, v): [string, WatermarkInput] => [(v as { conversationId: string }).conversationId, (v as { watermark: Watermark }).watermark])
          .repartition({ name: FACEBOOK_ROUTER_NAMES.watermarksByConversation, keySerde: serdes.key, valueSerde: Serdes.json<WatermarkInput>() })
          .merge(sent)
          .process(watermarkApplier(FACEBOOK_ROUTER_NAMES.unreadStore), { named: FACEBOOK_ROUTER_NAMES.applyWatermarks })
          .flatMap((_k, records) => records.map((r) => [metadataId(r.subject, r.key), r] as const))
          .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
      }, 'watermarks'),
    )
    .branch(
      (_k, v) => v.kind === 'tombstones',
      Branched.withConsumer((s) =>
        s.flatMap((_k, v) => (v as { keys: string[] }).keys.map((key) => [key, null as Metadata | null] as const)).to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata }),
      'tombstones'),
    )
    .defaultBranch(
      Branched.withConsumer((s) =>
        s.map((_k, v) => [(v as { letter: FacebookDeadLetter }).letter.page_id, (v as { letter: FacebookDeadLetter }).letter] as const).to(FACEBOOK_DEAD_LETTER_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.json<FacebookDeadLetter>() }),
      'dead-letters'),
    );
}

/** The router as a Topology of its own. */
export function buildFacebookRouterTopology(options: FacebookRouterOptions): Topology {
  const builder = new StreamsBuilder();
  addFacebookRouter(builder, options);
  return builder.build();
}

function messageOf(v: Routed): Message {
  return (v as { message: Message }).message;
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
    const event = item.kind === 'message' ? item.message : item.kind === 'metadata' ? item.records : item.kind === 'watermark' ? { state: item.state, watermark: item.watermark } : item.keys;
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
  }
}
