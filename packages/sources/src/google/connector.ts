/**
 * Google Business Messages' connector: PENDING outbound messages of Google conversations →
 * `conversations.messages.create` with **our message id as `messageId`** (so a retry cannot send
 * twice, and receipts name our message) and a `representative` (the content's, else
 * `{ representativeType: <config> }`) → DELIVERED, or FAILED with `error` (Google's
 * `error.message`) and `source.error` (its answer). The conversation is the contact's Business
 * Messages conversation id: the sender of the conversation's latest contact message (or the
 * message's `source_recipient_id`). Messages older than `maxAgeMs` fail without a call.
 */
import { COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { deliveredOutcome, failedOutcome, writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { DeliveryOutcomeProcessor } from '../delivery-processor.js';
import type { ConfiguredGoogle } from './config.js';
import { GoogleApiError, GoogleMessagesClient } from './google-api.js';
import { GOOGLE_SOURCE } from './google-topics.js';

export const GOOGLE_CONNECTOR_NAMES = Object.freeze({
  channelsStore: 'google-connector-channels',
  contactsStore: 'google-connector-contacts',
  pendingRepartition: 'google-connector-pending',
  deliver: 'google-connector-deliver',
});

export interface GoogleConnectorOptions {
  config: Pick<ConfiguredGoogle, 'serviceAccount' | 'apiUrl' | 'representativeType' | 'delivery'>;
  serdes?: ModelSerdes;
  fetch?: typeof fetch;
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
  clock?: () => number;
  persistent?: boolean;
}

interface Pending {
  message: Message;
  contact: string | null;
  channel: Channel | null;
}

export function addGoogleConnector(builder: StreamsBuilder, options: GoogleConnectorOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const persistent = options.persistent ?? true;
  const channels = builder.globalTable(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: GOOGLE_CONNECTOR_NAMES.channelsStore, persistent } });
  const google = builder
    .stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message })
    .filter((_id, message) => message !== null && message.source === GOOGLE_SOURCE);
  const contacts = google
    .filter((_id, m) => m.senderType === 'CONTACT')
    .map((_id, m) => [m.conversationId, m.senderId] as const)
    .toTable({ named: GOOGLE_CONNECTOR_NAMES.contactsStore, materialized: { storeName: GOOGLE_CONNECTOR_NAMES.contactsStore, keySerde: serdes.key, valueSerde: Serdes.string(), persistent } });
  const outcomes = google
    .filter((_id, m) => m.deliveryState === 'PENDING')
    .selectKey((_id, m) => m.conversationId)
    .repartition({ name: GOOGLE_CONNECTOR_NAMES.pendingRepartition, keySerde: serdes.key, valueSerde: serdes.message })
    .leftJoin(contacts, (message, contact) => ({ message, contact }))
    .leftJoin(channels, (_k, v) => v.message.channelId, (v, channel): Pending => ({ ...v, channel }))
    .process<string, DeliveryOutcome>(() => new SendProcessor(options), { named: GOOGLE_CONNECTOR_NAMES.deliver });
  writeDeliveryOutcomes(outcomes, serdes);
}

export function buildGoogleConnectorTopology(options: GoogleConnectorOptions): Topology {
  const builder = new StreamsBuilder();
  addGoogleConnector(builder, options);
  return builder.build();
}

class SendProcessor extends DeliveryOutcomeProcessor<Pending> {
  readonly #options: GoogleConnectorOptions;
  readonly #client: GoogleMessagesClient;

  constructor(options: GoogleConnectorOptions) {
    super(options.clock);
    this.#options = options;
    this.#client = new GoogleMessagesClient({ config: options.config, fetch: options.fetch, clock: () => this.now() });
  }

  protected async deliver(pending: Pending): Promise<DeliveryOutcome> {
    const { message, contact } = pending;
    const { config } = this.#options;
    const now = this.now();
    if (now - message.sentAt > config.delivery.maxAgeMs) return failedOutcome(message, now, `the message is older than ${config.delivery.maxAgeMs / 1000} s: not sent`);
    const channel = pending.channel ?? (await this.#options.resolveChannel?.(message.channelId)) ?? null;
    if (channel === null || channel.source !== GOOGLE_SOURCE || channel.connectionState !== 'CONNECTED') return failedOutcome(message, now, `Google channel ${message.channelId} is not connected`);
    const conversation = message.sourceRecipientId ?? contact;
    if (conversation === null) return failedOutcome(message, now, 'cannot start a conversation: no source_recipient_id and no message from the contact yet');
    const content = parseContent(message.content);
    if (content === undefined) return failedOutcome(message, now, 'malformed message: the content must be a Business Messages message object (e.g. {"text":"Hi"})');
    const body = { ...content, messageId: message.id, representative: content.representative ?? { representativeType: config.representativeType } };
    try {
      await this.#client.createMessage(conversation, body);
      return deliveredOutcome(message, this.now());
    } catch (err) {
      if (!(err instanceof GoogleApiError)) throw err;
      return failedOutcome(message, this.now(), err.message, err.body);
    }
  }
}

function parseContent(content: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(content) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
