/**
 * The custom sources' router: `source.custom.events` (raw payloads keyed by source id) → Message
 * records (`application.communication.messages`, keyed by message id) and Metadata records
 * (`application.communication.metadata`, keyed by `metadataId(subject, key)`). Each item is re-keyed by its
 * channel id and joined with the channels table: an item whose channel is unknown, belongs to no such source
 * or is disconnected, and a payload that does not parse, go to `source.custom.dead-letters` with
 * the reason, so nothing is dropped silently and a fixed payload or channel can be re-driven.
 * Every id is derived from the payload, so re-routing the same raw records rewrites the same keys.
 */
import { COMMUNICATION_TOPICS, metadataId, type Channel, type Message, type Metadata } from '@parley/schemas';
import { Branched, Serdes, StreamsBuilder, type Processor, type ProcessorContext, type StreamRecord, type Topology } from '@parley/streams';
import { isSourcesError, type SourcesErrorCode } from '../errors.js';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { CUSTOM_DEAD_LETTER_TOPIC, CUSTOM_EVENTS_TOPIC } from './custom-topics.js';
import { idSchemeOf } from './custom-ids.js';
import { mapCustomPayload, parseCustomPayload, type RoutedItem } from './mapping.js';

/** Names of the router's processors and its one store (part of the topology fingerprint). */
export const CUSTOM_ROUTER_NAMES = Object.freeze({
  channelsStore: 'custom-router-channels',
  parse: 'custom-router-parse',
  channelJoin: 'custom-router-channel-join',
  /** Repartition topic `<applicationId>-custom-router-by-channel-repartition`. */
  byChannel: 'custom-router-by-channel',
  split: 'custom-router-',
});

/** A dead letter as written to `source.custom.dead-letters` (JSON). */
export interface CustomDeadLetter {
  code: SourcesErrorCode;
  reason: string;
  source_id: string;
  /** The raw payload text when it did not parse, else the one item that could not be routed. */
  item: unknown;
}

type Parsed = { kind: 'item'; sourceId: string; item: RoutedItem } | { kind: 'dead'; letter: CustomDeadLetter };
type Routed = { kind: 'message'; message: Message } | { kind: 'metadata'; records: Metadata[] } | { kind: 'dead'; letter: CustomDeadLetter };

export interface CustomRouterOptions {
  serdes?: ModelSerdes;
}

/** Adds the router to `builder` (for one application with other parts). */
export function addCustomRouter(builder: StreamsBuilder, options: CustomRouterOptions = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  // A table, not a global table: items are repartitioned by channel id and joined in timestamp
  // order with the channel records, so a payload sent right after its channel was created finds
  // it (a global table is filled by its own reader and may lag behind the stream).
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, {
    keySerde: serdes.key,
    valueSerde: serdes.channel,
    materialized: { storeName: CUSTOM_ROUTER_NAMES.channelsStore },
  });
  const routed = builder
    .stream(CUSTOM_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .process<string, Parsed>(() => new ParseProcessor(), { named: CUSTOM_ROUTER_NAMES.parse })
    .repartition({ name: CUSTOM_ROUTER_NAMES.byChannel, keySerde: serdes.key, valueSerde: Serdes.json<Parsed>() })
    .leftJoin(channels, (parsed, channel, channelKey) => resolve(parsed, channel, channelKey), { named: CUSTOM_ROUTER_NAMES.channelJoin });
  routed
    .split({ named: CUSTOM_ROUTER_NAMES.split })
    .branch(
      (_k, v) => v.kind === 'message',
      Branched.withConsumer((s) =>
        s
          .map((_k, v) => [(v as { message: Message }).message.id, (v as { message: Message }).message] as const)
          .to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message }),
      'messages'),
    )
    .branch(
      (_k, v) => v.kind === 'metadata',
      Branched.withConsumer((s) =>
        s
          .flatMap((_k, v) => (v as { records: Metadata[] }).records.map((r) => [metadataId(r.subject, r.key), r] as const))
          .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata }),
      'metadata'),
    )
    .defaultBranch(
      Branched.withConsumer((s) =>
        s.map((_k, v) => [(v as { letter: CustomDeadLetter }).letter.source_id, (v as { letter: CustomDeadLetter }).letter] as const).to(CUSTOM_DEAD_LETTER_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.json<CustomDeadLetter>() }),
      'dead-letters'),
    );
}

/** The router as a Topology of its own. */
export function buildCustomRouterTopology(options: CustomRouterOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addCustomRouter(builder, options);
  return builder.build();
}

/** Parses a raw payload into its items, stamped with the raw record's time; a bad payload becomes one dead letter. */
class ParseProcessor implements Processor<string, Buffer, string, Parsed> {
  #context!: ProcessorContext<string, Parsed>;

  init(context: ProcessorContext<string, Parsed>): void {
    this.#context = context;
  }

  process(record: StreamRecord<string, Buffer>): void {
    const sourceId = record.key;
    if (sourceId === null || record.value === null) return; // not a payload (a tombstone or an unkeyed write)
    let outputs: Parsed[];
    try {
      const scheme = idSchemeOf(record.headers);
      outputs = mapCustomPayload(sourceId, parseCustomPayload(record.value, scheme), record.timestamp, scheme).map((item) => ({ kind: 'item', sourceId, item }));
    } catch (err) {
      if (!isSourcesError(err) && !(err instanceof RangeError)) throw err;
      const code = isSourcesError(err) ? err.code : 'SOURCES_INVALID_PAYLOAD';
      outputs = [{ kind: 'dead', letter: { code, reason: err.message, source_id: sourceId, item: record.value.toString('utf8') } }];
    }
    // Items are keyed by their channel id (the join key); a dead letter, and metadata naming no channel, keep the source id.
    for (const value of outputs) this.#context.forward({ ...record, key: value.kind === 'item' ? (value.item.channelId ?? sourceId) : sourceId, value });
  }
}

function resolve(parsed: Parsed, channel: Channel | null, _key: string): Routed {
  if (parsed.kind === 'dead') return parsed;
  const { item, sourceId } = parsed;
  // Airy's shape: metadata keyed by namespace and source_id alone, written as Airy wrote it (no channel to check).
  if (item.kind === 'metadata' && item.channelId === null) return { kind: 'metadata', records: item.records };
  if (channel === null || channel.source !== sourceId || channel.connectionState !== 'CONNECTED') {
    const reason =
      channel === null || channel.source !== sourceId
        ? `source ${sourceId} has no channel ${item.sourceChannelId}`
        : `channel ${item.sourceChannelId} of source ${sourceId} is disconnected`;
    const body = item.kind === 'message' ? item.message : item.records;
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason, source_id: sourceId, item: body } };
  }
  return item.kind === 'message' ? { kind: 'message', message: item.message } : { kind: 'metadata', records: item.records };
}
