/**
 * A Twilio provider's connector: PENDING outbound messages of `twilio.<kind>` → the Messages API
 * (twilio-api.ts) → the message again as DELIVERED with `source.id` = Twilio's `sid`, or FAILED
 * with `error` (Twilio's code and message) and `source.error` (its raw answer).
 *
 * Content is Twilio's send format, as in Airy: `{"Body": "…"}` and/or `{"MediaUrl": "…" | ["…"]}`.
 * `From` is the channel's number (or `MessagingServiceSid` when configured); `To` is the message's
 * `sourceRecipientId` or the conversation's contact (the sender of its latest contact message);
 * `StatusCallback` is our webhook with `?message_id=<id>`, so status callbacks name our message.
 * Messages older than `delivery.maxAgeMs` when seen fail without a call.
 */
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { deliveredOutcome, failedOutcome, writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { DeliveryOutcomeProcessor } from '../delivery-processor.js';
import { createTwilioMessage, TwilioApiError } from './twilio-api.js';
import type { TwilioConfig } from './twilio-config.js';
import type { TwilioNames } from './twilio-names.js';
import { STATUS_CALLBACK_MESSAGE_PARAM } from './webhook.js';

export interface TwilioConnectorOptions {
  config: TwilioConfig;
  serdes?: ModelSerdes;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. Default the task's system time. */
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

export function twilioConnectorNames(names: TwilioNames) {
  const p = names.provider;
  return Object.freeze({ channelsStore: `${p}-connector-channels`, contactsStore: `${p}-connector-contacts`, pending: `${p}-connector-pending`, deliver: `${p}-connector-deliver` });
}

export function buildTwilioConnectorTopology(names: TwilioNames, options: TwilioConnectorOptions): Topology {
  const builder = new StreamsBuilder();
  addTwilioConnector(builder, names, options);
  return builder.build();
}

export function addTwilioConnector(builder: StreamsBuilder, names: TwilioNames, options: TwilioConnectorOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const n = twilioConnectorNames(names);
  const channels = builder.globalTable(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: n.channelsStore } });
  const own = builder.stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message }).filter((_id, m) => m !== null && m.source === names.source);
  const contacts = own
    .filter((_id, m) => m.senderType === 'CONTACT')
    .map((_id, m) => [m.conversationId, m.senderId] as const)
    .toTable({ named: n.contactsStore, materialized: { storeName: n.contactsStore, keySerde: serdes.key, valueSerde: Serdes.string() } });
  const outcomes = own
    .filter((_id, m) => m.deliveryState === 'PENDING')
    .selectKey((_id, m) => m.conversationId)
    .repartition({ name: n.pending, keySerde: serdes.key, valueSerde: serdes.message })
    .leftJoin(contacts, (message, contact) => ({ message, contact }))
    .leftJoin(channels, (_k, v) => v.message.channelId, (v, channel): Pending => ({ ...v, channel }))
    .process<string, DeliveryOutcome>(() => new DeliverProcessor(names, options), { named: n.deliver });
  writeDeliveryOutcomes(outcomes, serdes);
}

class DeliverProcessor extends DeliveryOutcomeProcessor<Pending> {
  constructor(
    private readonly names: TwilioNames,
    private readonly options: TwilioConnectorOptions,
  ) {
    super(options.clock);
  }

  protected async deliver({ message, contact, channel: known }: Pending): Promise<DeliveryOutcome> {
    const { config } = this.options;
    const channel = known ?? (await this.options.resolveChannel?.(message.channelId)) ?? null;
    const now = this.now();
    if (now - message.sentAt > config.delivery.maxAgeMs) return failedOutcome(message, now, `the message is older than ${config.delivery.maxAgeMs / 1000} s: not sent`);
    if (channel === null || channel.source !== this.names.source || channel.connectionState !== 'CONNECTED') return failedOutcome(message, now, `${this.names.source} channel ${message.channelId} is not connected`);
    const to = message.sourceRecipientId ?? contact;
    if (to === null) return failedOutcome(message, now, 'cannot start a conversation: no source_recipient_id and no message from the contact yet');
    const form = sendForm(message.content);
    if (form === null) return failedOutcome(message, now, 'malformed message: content must be {"Body": string} and/or {"MediaUrl": string | string[]}');
    form.set('To', to.startsWith(this.names.addressPrefix) ? to : `${this.names.addressPrefix}${to}`);
    if (config.messagingServiceSid !== undefined) form.set('MessagingServiceSid', config.messagingServiceSid);
    else form.set('From', channel.sourceChannelId);
    const callback = new URL(config.publicUrl);
    callback.searchParams.set(STATUS_CALLBACK_MESSAGE_PARAM, message.id);
    form.set('StatusCallback', callback.toString());
    try {
      const sid = await createTwilioMessage({ ...config.delivery, apiBaseUrl: config.apiBaseUrl, accountSid: config.accountSid, authToken: config.authToken, ...(this.options.fetch === undefined ? {} : { fetch: this.options.fetch }) }, form);
      const done = this.now();
      return deliveredOutcome(message, done, sid);
    } catch (err) {
      if (!(err instanceof TwilioApiError)) throw err;
      return failedOutcome(message, this.now(), err.message, err.body);
    }
  }
}

/** The Messages API form of a content, or null when it is not Twilio's send format. */
export function sendForm(content: string): URLSearchParams | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { Body: body, MediaUrl: media } = parsed as Record<string, unknown>;
  const urls = typeof media === 'string' ? [media] : Array.isArray(media) && media.every((u) => typeof u === 'string') ? (media as string[]) : media === undefined ? [] : null;
  if (urls === null || (body !== undefined && typeof body !== 'string') || (body === undefined && urls.length === 0)) return null;
  const form = new URLSearchParams();
  if (typeof body === 'string') form.set('Body', body);
  for (const url of urls) form.append('MediaUrl', url);
  return form;
}

