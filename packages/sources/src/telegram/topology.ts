/**
 * The Telegram router: `source.telegram.events` → Message records on the bot's channel
 * (`channelId("telegram", <bot id>)`), conversation `conversationId(channel, chat id)`, id
 * `messageId(channel, "<chat id>:<message_id>")` — a retried update and an edit rewrite the same
 * record — plus `contact.display_name` from the sender's names. Updates of an unknown or
 * disconnected channel, and updates that are not private-chat messages, go to
 * `source.telegram.dead-letters` with the reason.
 */
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { channelId, COMMUNICATION_TOPICS, CONVERSATION_METADATA_KEYS, conversationId, messageId, metadataId, metadataRecord, metadataSubject, type Channel, type Message, type Metadata } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { isSourcesError, type SourcesErrorCode } from '../errors.js';
import { TELEGRAM, TELEGRAM_DEAD_LETTER_TOPIC, TELEGRAM_EVENTS_TOPIC } from './telegram-config.js';
import { parseTelegramUpdate, type TelegramMessageEvent } from './mapping.js';

export interface TelegramDeadLetter {
  code: SourcesErrorCode;
  reason: string;
  item: unknown;
}

type Routed = { kind: 'message'; message: Message; metadata: Metadata[] } | { kind: 'dead'; letter: TelegramDeadLetter };
type Parsed = { kind: 'event'; event: TelegramMessageEvent } | { kind: 'dead'; letter: TelegramDeadLetter };

export const TELEGRAM_ROUTER_NAMES = Object.freeze({ channelsStore: 'telegram-router-channels', byChannel: 'telegram-router-by-channel', channelJoin: 'telegram-router-channel-join' });

/** The router for the bot `botId`. */
export function buildTelegramRouterTopology(botId: string, serdes: ModelSerdes = modelSerdes()): Topology {
  const builder = new StreamsBuilder();
  const channel = channelId(TELEGRAM, botId);
  const channels = builder.table(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: TELEGRAM_ROUTER_NAMES.channelsStore } });
  const routed = builder
    .stream(TELEGRAM_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
    .filter((_k, raw) => raw !== null)
    .map((_k, raw): readonly [string, Parsed] => [channel, parse(raw)])
    .repartition({ name: TELEGRAM_ROUTER_NAMES.byChannel, keySerde: serdes.key, valueSerde: Serdes.json<Parsed>() })
    .leftJoin(channels, (parsed, found) => route(parsed, found, botId), { named: TELEGRAM_ROUTER_NAMES.channelJoin });
  routed.filter((_k, v) => v.kind === 'dead').map((_k, v): readonly [string, TelegramDeadLetter] => [TELEGRAM, (v as { letter: TelegramDeadLetter }).letter]).to(TELEGRAM_DEAD_LETTER_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.json<TelegramDeadLetter>() });
  const messages = routed.filter((_k, v) => v.kind === 'message').mapValues((v) => v as Extract<Routed, { kind: 'message' }>);
  messages.map((_k, v) => [v.message.id, v.message] as const).to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message });
  messages.flatMap((_k, v) => v.metadata.map((r) => [metadataId(r.subject, r.key), r] as const)).to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
  return builder.build();
}

function parse(raw: Buffer): Parsed {
  try {
    return { kind: 'event', event: parseTelegramUpdate(raw) };
  } catch (err) {
    if (!isSourcesError(err)) throw err;
    return { kind: 'dead', letter: { code: err.code, reason: err.message, item: raw.toString('utf8') } };
  }
}

function route(parsed: Parsed, channel: Channel | null, botId: string): Routed {
  if (parsed.kind === 'dead') return parsed;
  const { event } = parsed;
  if (channel === null || channel.source !== TELEGRAM || channel.connectionState !== 'CONNECTED') {
    return { kind: 'dead', letter: { code: 'SOURCES_CHANNEL_NOT_FOUND', reason: `telegram bot ${botId} is ${channel === null ? 'not connected' : 'disconnected'}`, item: event } };
  }
  const conversation = conversationId(channel.id, event.chatId);
  const message: Message = {
    id: messageId(channel.id, `${event.chatId}:${event.messageId}`),
    headers: null,
    senderType: 'CONTACT',
    senderId: event.senderId,
    deliveryState: 'DELIVERED',
    conversationId: conversation,
    channelId: channel.id,
    source: TELEGRAM,
    sourceRecipientId: null,
    content: event.content,
    sentAt: event.sentAt,
    updatedAt: event.editedAt,
  };
  const name = metadataRecord({ subject: metadataSubject('conversation', conversation), key: CONVERSATION_METADATA_KEYS.contactDisplayName, value: event.senderName, timestamp: event.editedAt ?? event.sentAt });
  return { kind: 'message', message, metadata: [name] };
}
