/**
 * Viber's connector: PENDING outbound messages of Viber conversations → `send_message` → the
 * message again as DELIVERED (metadata `source.id` = Viber's `message_token`, and the token →
 * message record on `source.viber.message-tokens` for the router's delivery callbacks) or FAILED
 * (`error` = Viber's `status_message`, `source.error` = its answer).
 *
 * The request is the message's content (a Viber message: `{ "type": "text", "text": "Hi" }`,
 * `picture`, `video`, `file`, `location`, `contact`, `url`, `sticker`, …) plus `receiver` (the
 * conversation's contact, or the message's `source_recipient_id`), `sender` (configured name and
 * avatar), `min_api_version` (1 unless the content sets it) and `tracking_data` (the Parley
 * message id unless the content sets it; Viber returns it with the user's replies). The contact is
 * the sender of the conversation's latest contact message, kept in a table keyed by conversation
 * (PENDING messages are repartitioned by conversation). Messages older than `maxAgeMs` (300 s)
 * when seen fail without a call; deliveries run one at a time per task.
 */
import { COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { deliveredOutcome, failedOutcome, writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { DeliveryOutcomeProcessor } from '../delivery-processor.js';
import { VIBER_DELIVERY_DEFAULTS, type ConfiguredViber } from './config.js';
import { callViber, ViberApiError } from './viber-api.js';
import { VIBER_MESSAGE_TOKENS_TOPIC, VIBER_SOURCE } from './viber-topics.js';

/** Names of the connector's stores, nodes and internal topics (part of the topology fingerprint). */
export const VIBER_CONNECTOR_NAMES = Object.freeze({
  channelsStore: 'viber-connector-channels',
  contactsStore: 'viber-connector-contacts',
  pendingRepartition: 'viber-connector-pending',
  deliver: 'viber-connector-deliver',
});

export interface ViberConnectorOptions {
  config: Pick<ConfiguredViber, 'authToken' | 'apiUrl' | 'sender'> & { delivery?: Partial<ConfiguredViber['delivery']> };
  serdes?: ModelSerdes;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** Finds a channel the global channels table does not hold yet (it is filled by its own reader). */
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
  /** Milliseconds since the epoch. Default the task's system time. */
  clock?: () => number;
  /** LevelDB (true, default) or in-memory stores. */
  persistent?: boolean;
}

interface Pending {
  message: Message;
  contact: string | null;
  channel: Channel | null;
}

/** An outcome, and the token Viber gave a delivered message. */
type Outcome = DeliveryOutcome & { token: string | null };

/** Adds the connector to `builder`. */
export function addViberConnector(builder: StreamsBuilder, options: ViberConnectorOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const persistent = options.persistent ?? true;
  const channels = builder.globalTable(COMMUNICATION_TOPICS.channels.name, {
    keySerde: serdes.key,
    valueSerde: serdes.channel,
    materialized: { storeName: VIBER_CONNECTOR_NAMES.channelsStore, persistent },
  });
  const viber = builder
    .stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message })
    .filter((_id, message) => message !== null && message.source === VIBER_SOURCE);
  const contacts = viber
    .filter((_id, m) => m.senderType === 'CONTACT')
    .map((_id, m) => [m.conversationId, m.senderId] as const)
    .toTable({
      named: VIBER_CONNECTOR_NAMES.contactsStore,
      materialized: { storeName: VIBER_CONNECTOR_NAMES.contactsStore, keySerde: serdes.key, valueSerde: Serdes.string(), persistent },
    });
  const outcomes = viber
    .filter((_id, m) => m.deliveryState === 'PENDING')
    .selectKey((_id, m) => m.conversationId)
    .repartition({ name: VIBER_CONNECTOR_NAMES.pendingRepartition, keySerde: serdes.key, valueSerde: serdes.message })
    .leftJoin(contacts, (message, contact) => ({ message, contact }))
    .leftJoin(channels, (_k, v) => v.message.channelId, (v, channel): Pending => ({ ...v, channel }))
    .process<string, Outcome>(() => new SendProcessor(options), { named: VIBER_CONNECTOR_NAMES.deliver });
  writeDeliveryOutcomes(outcomes.mapValues((o): DeliveryOutcome => ({ message: o.message, metadata: o.metadata })), serdes);
  outcomes
    .flatMap((_k, o) => (o.token === null ? [] : [[o.token, o.message] as const]))
    .to(VIBER_MESSAGE_TOKENS_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.json<Message>() });
}

/** The connector as a Topology of its own. */
export function buildViberConnectorTopology(options: ViberConnectorOptions): Topology {
  const builder = new StreamsBuilder();
  addViberConnector(builder, options);
  return builder.build();
}

class SendProcessor extends DeliveryOutcomeProcessor<Pending, Outcome> {
  readonly #options: ViberConnectorOptions;

  constructor(options: ViberConnectorOptions) {
    super(options.clock);
    this.#options = options;
  }

  protected async deliver(pending: Pending): Promise<Outcome> {
    const { message, contact } = pending;
    const { config } = this.#options;
    const delivery = { ...VIBER_DELIVERY_DEFAULTS, ...config.delivery };
    const now = this.now();
    if (now - message.sentAt > delivery.maxAgeMs) return failed(message, now, `the message is older than ${delivery.maxAgeMs / 1000} s: not sent`);
    const channel = pending.channel ?? (await this.#options.resolveChannel?.(message.channelId)) ?? null;
    if (channel === null || channel.source !== VIBER_SOURCE || channel.connectionState !== 'CONNECTED') return failed(message, now, `Viber channel ${message.channelId} is not connected`);
    const receiver = message.sourceRecipientId ?? contact;
    if (receiver === null) return failed(message, now, 'cannot start a conversation: no source_recipient_id and no message from the contact yet');
    const content = parseContent(message.content);
    if (content === undefined) return failed(message, now, 'malformed message: the content must be a Viber message object with a "type" (e.g. {"type":"text","text":"Hi"})');
    const body = { min_api_version: 1, tracking_data: message.id, ...content, receiver, sender: config.sender };
    try {
      const answer = await callViber({ apiUrl: config.apiUrl, authToken: config.authToken, fetch: this.#options.fetch, timeoutMs: delivery.timeoutMs, retryDelaysMs: delivery.retryDelaysMs }, 'send_message', body);
      const done = this.now();
      const token = answer.message_token === undefined || answer.message_token === null ? null : String(answer.message_token);
      return { ...deliveredOutcome(message, done, token), token };
    } catch (err) {
      if (!(err instanceof ViberApiError)) throw err;
      return failed(message, this.now(), err.message, err.body);
    }
  }
}

function failed(message: Message, now: number, reason: string, sourceError?: string): Outcome {
  return { ...failedOutcome(message, now, reason, sourceError), token: null };
}

/** The content as a Viber message object with a string `type`; undefined otherwise. */
function parseContent(content: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(content) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return typeof (value as { type?: unknown }).type === 'string' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
