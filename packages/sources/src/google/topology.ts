/**
 * Google Business Messages' router: `source.google.events` → Message and Metadata records. Each
 * event is keyed by its channel (`channelId("google", agent id)`) and joined, in timestamp order,
 * with the channels table; an event of an unknown or disconnected agent, an event that does not
 * parse and a kind this version does not map (survey, authentication responses) go to
 * `source.google.dead-letters` with the reason. Typing indicators map to nothing.
 */
import { channelId as deriveChannelId, COMMUNICATION_TOPICS, metadataId, type Channel, type Message, type Metadata } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Processor, type ProcessorContext, type StreamRecord, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { isSourcesError, type SourcesErrorCode } from '../errors.js';
import { agentIdOf, mapGoogleEvent, parseGoogleEvent, type GoogleEvent } from './mapping.js';
import { GOOGLE_DEAD_LETTER_TOPIC, GOOGLE_EVENTS_TOPIC, GOOGLE_SOURCE } from './google-topics.js';

export const GOOGLE_ROUTER_NAMES = Object.freeze({
  channelsStore: 'google-router-channels',
  parse: 'google-router-parse',
  byChannel: 'google-router-by-channel',
  channelJoin: 'google-router-channel-join',
});

/** A dead letter as written to `source.google.dead-letters` (JSON). */
export interface GoogleDeadLetter {
  code: SourcesErrorCode;
  reason: string;
  item: unknown;
}

type Parsed = { kind: 'event'; event: GoogleEvent; raw: string } | { kind: 'dead'; letter: GoogleDeadLetter };
type Routed = { kind: 'records'; message: Message | null; metadata: Metadata[] } | { kind: 'dead'; letter: GoogleDeadLetter };

export interface GoogleRouterOptions {
  serdes?: ModelSerdes;
  persistent?: boolean;
}

export function addGoogleRouter(builder: StreamsBuilder, options: GoogleRouterOptions = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, {
    keySerde: serdes.key,
    valueSerde: serdes.channel,
    materialized: { storeName: GOOGLE_ROUTER_NAMES.channelsStore, persistent: options.persistent ?? true },
  });
  const routed = builder
    .stream(GOOGLE_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, Parsed>(() => new ParseProcessor(), { named: GOOGLE_ROUTER_NAMES.parse })
    .repartition({ name: GOOGLE_ROUTER_NAMES.byChannel, keySerde: serdes.key, valueSerde: Serdes.json<Parsed>() })
    .leftJoin(channels, (parsed, channel) => resolve(parsed, channel), { named: GOOGLE_ROUTER_NAMES.channelJoin });
  routed
    .flatMap((_k, r) => (r.kind === 'records' && r.message !== null ? [[r.message.id, r.message] as const] : []))
    .to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message });
  routed
    .flatMap((_k, r) => (r.kind === 'records' ? r.metadata.map((m) => [metadataId(m.subject, m.key), m] as const) : []))
    .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
  routed
    .flatMap((_k, r) => (r.kind === 'dead' ? [[GOOGLE_SOURCE as string, r.letter] as const] : []))
    .to(GOOGLE_DEAD_LETTER_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.json<GoogleDeadLetter>() });
}

export function buildGoogleRouterTopology(options: GoogleRouterOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addGoogleRouter(builder, options);
  return builder.build();
}

class ParseProcessor implements Processor<string, Buffer, string, Parsed> {
  #context!: ProcessorContext<string, Parsed>;

  init(context: ProcessorContext<string, Parsed>): void {
    this.#context = context;
  }

  process(record: StreamRecord<string, Buffer>): void {
    if (record.value === null) return;
    const raw = record.value.toString('utf8');
    try {
      const event = parseGoogleEvent(record.value);
      this.#context.forward({ ...record, key: deriveChannelId(GOOGLE_SOURCE, agentIdOf(event)), value: { kind: 'event', event, raw } });
    } catch (err) {
      if (!isSourcesError(err)) throw err;
      this.#context.forward({ ...record, key: GOOGLE_SOURCE, value: { kind: 'dead', letter: { code: err.code, reason: err.message, item: raw } } });
    }
  }
}

function resolve(parsed: Parsed, channel: Channel | null): Routed {
  if (parsed.kind === 'dead') return parsed;
  const agent = agentIdOf(parsed.event);
  if (channel === null || channel.source !== GOOGLE_SOURCE || channel.connectionState !== 'CONNECTED') {
    const reason = channel === null || channel.source !== GOOGLE_SOURCE ? `there is no Google channel for agent ${agent}` : `the Google channel of agent ${agent} is disconnected`;
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason, item: parsed.event } };
  }
  const mapped = mapGoogleEvent(parsed.event, channel.id, parsed.raw);
  if (mapped.unmapped !== null) return { kind: 'dead', letter: { code: 'SOURCES_INVALID_PAYLOAD', reason: mapped.unmapped, item: parsed.event } };
  return { kind: 'records', message: mapped.message, metadata: mapped.metadata };
}
