/**
 * The Telegram connector: PENDING outbound `telegram` messages → `sendMessage` (content
 * `{"text": "…"}`) or `sendPhoto` (`{"photo": "<URL or file_id>", "caption"?: "…"}`) to the chat
 * (the message's `sourceRecipientId`, else the conversation's contact: in a private chat the
 * contact's id is the chat's) → DELIVERED with `source.id` = the sent `message_id`, or FAILED
 * with Telegram's description. Older than `delivery.maxAgeMs` when seen: FAILED without a call.
 */
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { deliveredOutcome, failedOutcome, writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { DeliveryOutcomeProcessor } from '../delivery-processor.js';
import { callTelegram, TelegramApiError } from './telegram-api.js';
import { TELEGRAM, type TelegramConfig } from './telegram-config.js';

export const TELEGRAM_CONNECTOR_NAMES = Object.freeze({ channelsStore: 'telegram-connector-channels', contactsStore: 'telegram-connector-contacts', pending: 'telegram-connector-pending', deliver: 'telegram-connector-deliver' });

export interface TelegramConnectorOptions {
  config: TelegramConfig;
  serdes?: ModelSerdes;
  fetch?: typeof fetch;
  clock?: () => number;
  /**
   * Finds a channel the global channels table does not hold yet (it is filled by its own reader,
   * so a channel connected moments ago may be missing). The provider passes a SourceCatalog lookup.
   */
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
}

interface Pending {
  message: Message;
  contact: string | null;
  channel: Channel | null;
}

export function buildTelegramConnectorTopology(options: TelegramConnectorOptions): Topology {
  const serdes = options.serdes ?? modelSerdes();
  const builder = new StreamsBuilder();
  const channels = builder.globalTable(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: TELEGRAM_CONNECTOR_NAMES.channelsStore } });
  const own = builder.stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message }).filter((_id, m) => m !== null && m.source === TELEGRAM);
  const contacts = own
    .filter((_id, m) => m.senderType === 'CONTACT')
    .map((_id, m) => [m.conversationId, m.senderId] as const)
    .toTable({ named: TELEGRAM_CONNECTOR_NAMES.contactsStore, materialized: { storeName: TELEGRAM_CONNECTOR_NAMES.contactsStore, keySerde: serdes.key, valueSerde: Serdes.string() } });
  const outcomes = own
    .filter((_id, m) => m.deliveryState === 'PENDING')
    .selectKey((_id, m) => m.conversationId)
    .repartition({ name: TELEGRAM_CONNECTOR_NAMES.pending, keySerde: serdes.key, valueSerde: serdes.message })
    .leftJoin(contacts, (message, contact) => ({ message, contact }))
    .leftJoin(channels, (_k, v) => v.message.channelId, (v, channel): Pending => ({ ...v, channel }))
    .process<string, DeliveryOutcome>(() => new DeliverProcessor(options), { named: TELEGRAM_CONNECTOR_NAMES.deliver });
  writeDeliveryOutcomes(outcomes, serdes);
  return builder.build();
}

/** The Bot API method and body of a content, or null when it is not a text or photo message. */
export function telegramSend(content: string, chatId: string): { method: 'sendMessage' | 'sendPhoto'; body: Record<string, string> } | null {
  let c: unknown;
  try {
    c = JSON.parse(content);
  } catch {
    return null;
  }
  if (typeof c !== 'object' || c === null) return null;
  const { text, photo, caption } = c as Record<string, unknown>;
  if (typeof text === 'string' && text.length > 0 && photo === undefined) return { method: 'sendMessage', body: { chat_id: chatId, text } };
  if (typeof photo === 'string' && photo.length > 0 && text === undefined && (caption === undefined || typeof caption === 'string')) {
    return { method: 'sendPhoto', body: { chat_id: chatId, photo, ...(caption === undefined ? {} : { caption }) } };
  }
  return null;
}

class DeliverProcessor extends DeliveryOutcomeProcessor<Pending> {
  constructor(private readonly options: TelegramConnectorOptions) {
    super(options.clock);
  }

  protected async deliver({ message, contact, channel: known }: Pending): Promise<DeliveryOutcome> {
    const { config } = this.options;
    const channel = known ?? (await this.options.resolveChannel?.(message.channelId)) ?? null;
    const now = this.now();
    if (now - message.sentAt > config.delivery.maxAgeMs) return failedOutcome(message, now, `the message is older than ${config.delivery.maxAgeMs / 1000} s: not sent`);
    if (channel === null || channel.connectionState !== 'CONNECTED') return failedOutcome(message, now, `telegram channel ${message.channelId} is not connected`);
    const chatId = message.sourceRecipientId ?? contact;
    if (chatId === null) return failedOutcome(message, now, 'cannot start a conversation: no source_recipient_id and no message from the contact yet');
    const send = telegramSend(message.content, chatId);
    if (send === null) return failedOutcome(message, now, 'malformed message: content must be {"text": string} or {"photo": string, "caption"?: string}');
    try {
      const result = (await callTelegram({ ...config.delivery, apiBaseUrl: config.apiBaseUrl, botToken: config.botToken, ...(this.options.fetch === undefined ? {} : { fetch: this.options.fetch }) }, send.method, send.body)) as { message_id?: unknown };
      const done = this.now();
      return deliveredOutcome(message, done, typeof result?.message_id === 'number' ? String(result.message_id) : null);
    } catch (err) {
      if (!(err instanceof TelegramApiError)) throw err;
      return failedOutcome(message, this.now(), err.message, err.body);
    }
  }
}

