/**
 * The custom sources' connector: PENDING outbound messages of a custom source → POST to the
 * source's action endpoint (action-client.ts) → the message again as DELIVERED or FAILED
 * (`updatedAt` = now) plus message metadata (`source.id` from the answer's `source_message_id`;
 * `error` and `source.error` on failure).
 *
 * Request body (JSON, Standard Webhooks headers, see the README):
 *   { "type": "message.send", "timestamp": "<ISO>", "data": {
 *       "message": { "id", "content", "sent_at": "<ISO>", "source_recipient_id" },
 *       "conversation": { "id", "channel_id", "source_channel_id", "source_conversation_id" } } }
 *
 * The recipient is the message's `sourceRecipientId` (a conversation Parley has not seen yet) or
 * the conversation's contact: the sender of its latest contact message, kept in a table keyed by
 * conversation id (so PENDING messages are repartitioned by conversation, like Airy's connectors).
 * Messages older than 300 s when seen are FAILED without a call (Airy's rule: a stale reply is
 * worse than none). Deliveries run one at a time per task.
 */
import { COMMUNICATION_TOPICS, type Channel, type Message, type Source } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { deliveredOutcome, failedOutcome, writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { DeliveryOutcomeProcessor } from '../delivery-processor.js';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { BUILT_IN_SOURCE_NAMES } from './source-id.js';
import { ACTION_DEFAULTS, DeliveryError, postToActionEndpoint } from './action-client.js';
import { signingKeyOf } from './source-token.js';

/** Names of the connector's stores and internal topics (part of the topology fingerprint). */
export const CUSTOM_CONNECTOR_NAMES = Object.freeze({
  sourcesStore: 'custom-connector-sources',
  channelsStore: 'custom-connector-channels',
  contactsStore: 'custom-connector-contacts',
  pendingRepartition: 'custom-connector-pending',
  deliver: 'custom-connector-deliver',
});

const BUILT_IN: ReadonlySet<string> = new Set(BUILT_IN_SOURCE_NAMES);

/** Outbound messages older than this when the connector sees them fail without a call, in ms. */
export const MAX_OUTBOUND_AGE_MS = 300_000;

export interface CustomConnectorOptions {
  serdes?: ModelSerdes;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** Per attempt, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Waits between attempts, in ms. Default [250, 1000]. */
  retryDelaysMs?: readonly number[];
  /** Default 300 000 ms. */
  maxAgeMs?: number;
  /**
   * Finds a source the global sources table does not hold (yet): the table is filled by polling,
   * so a source created moments ago may be missing from it. `customSource.create` passes a lookup
   * in its SourceCatalog (read-your-writes). Default none.
   */
  resolveSource?: (sourceId: string) => Promise<Source | undefined>;
  /** Finds a channel the global channels table does not hold (yet); as `resolveSource`. Default none. */
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
  /** Milliseconds since the epoch. Default the task's system time (the driver's wall clock in tests). */
  clock?: () => number;
}

interface Pending {
  message: Message;
  /** Null when the source is unknown (deleted, or not yet seen by this instance). */
  source: Source | null;
  contact: string | null;
  channel: Channel | null;
}

type Outcome = DeliveryOutcome;

/** Adds the connector to `builder`. */
export function addCustomConnector(builder: StreamsBuilder, options: CustomConnectorOptions = {}): void {
  const serdes = options.serdes ?? modelSerdes();
  const sources = builder.globalTable(COMMUNICATION_TOPICS.sources.name, { keySerde: serdes.key, valueSerde: serdes.source, materialized: { storeName: CUSTOM_CONNECTOR_NAMES.sourcesStore } });
  const channels = builder.globalTable(COMMUNICATION_TOPICS.channels.name, { keySerde: serdes.key, valueSerde: serdes.channel, materialized: { storeName: CUSTOM_CONNECTOR_NAMES.channelsStore } });
  // Custom sources are every source that is not built in (a custom id never equals or prefixes a
  // built-in name). The Source record is looked up only at delivery: a global table is filled by
  // its own reader (polling), so filtering on it could drop messages of a source created moments ago.
  const custom = builder
    .stream(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message })
    .filter((_id, message) => message !== null && !BUILT_IN.has(message.source));
  const contacts = custom
    .filter((_id, m) => m.senderType === 'CONTACT')
    .map((_id, m) => [m.conversationId, m.senderId] as const)
    .toTable({ named: CUSTOM_CONNECTOR_NAMES.contactsStore, materialized: { storeName: CUSTOM_CONNECTOR_NAMES.contactsStore, keySerde: serdes.key, valueSerde: Serdes.string() } });
  const outcomes = custom
    .filter((_id, m) => m.deliveryState === 'PENDING')
    .selectKey((_id, m) => m.conversationId)
    .repartition({ name: CUSTOM_CONNECTOR_NAMES.pendingRepartition, keySerde: serdes.key, valueSerde: serdes.message })
    .leftJoin(contacts, (message, contact) => ({ message, contact }))
    .leftJoin(channels, (_k, v) => v.message.channelId, (v, channel) => ({ ...v, channel }))
    .leftJoin(sources, (_k, v) => v.message.source, (v, source): Pending => ({ ...v, source }))
    .process<string, Outcome>(() => new DeliveryProcessor(options), { named: CUSTOM_CONNECTOR_NAMES.deliver });
  writeDeliveryOutcomes(outcomes, serdes);
}

/** The connector as a Topology of its own. */
export function buildCustomConnectorTopology(options: CustomConnectorOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addCustomConnector(builder, options);
  return builder.build();
}

class DeliveryProcessor extends DeliveryOutcomeProcessor<Pending, Outcome> {
  readonly #options: CustomConnectorOptions;

  constructor(options: CustomConnectorOptions) {
    super(options.clock);
    this.#options = options;
  }

  protected async deliver(pending: Pending): Promise<Outcome> {
    const { message, contact } = pending;
    const channel = pending.channel ?? (await this.#options.resolveChannel?.(message.channelId)) ?? null;
    const source = pending.source ?? (await this.#options.resolveSource?.(message.source)) ?? null;
    const now = this.now();
    const maxAge = this.#options.maxAgeMs ?? MAX_OUTBOUND_AGE_MS;
    if (now - message.sentAt > maxAge) return failedOutcome(message, now, `the message is older than ${maxAge / 1000} s: not sent`);
    if (source === null) return failedOutcome(message, now, `source ${message.source} is not registered`);
    if (source.actionEndpoint === null) return failedOutcome(message, now, `source ${source.id} has no action endpoint`);
    if (channel === null || channel.connectionState !== 'CONNECTED') return failedOutcome(message, now, `channel ${message.channelId} is not connected`);
    const recipient = message.sourceRecipientId ?? contact;
    if (recipient === null) return failedOutcome(message, now, 'cannot start a conversation: no source_recipient_id and no message from the contact yet');
    const body = JSON.stringify({
      type: 'message.send',
      timestamp: new Date(now).toISOString(),
      data: {
        message: { id: message.id, content: parseContent(message.content), sent_at: new Date(message.sentAt).toISOString(), source_recipient_id: message.sourceRecipientId },
        conversation: { id: message.conversationId, channel_id: channel.id, source_channel_id: channel.sourceChannelId, source_conversation_id: recipient },
      },
    });
    try {
      const answer = await postToActionEndpoint({
        url: source.actionEndpoint,
        id: message.id,
        body,
        key: signingKeyOf(source.token),
        clock: () => this.now(),
        fetch: this.#options.fetch,
        timeoutMs: this.#options.timeoutMs ?? ACTION_DEFAULTS.timeoutMs,
        retryDelaysMs: this.#options.retryDelaysMs ?? ACTION_DEFAULTS.retryDelaysMs,
      });
      const done = this.now();
      const sourceMessageId = field(answer.body, 'source_message_id');
      return deliveredOutcome(message, done, sourceMessageId);
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      const reason = (err.body === undefined ? undefined : field(err.body, 'error')) ?? err.message;
      return failedOutcome(message, this.now(), reason, err.body);
    }
  }
}

function parseContent(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

/** A string field of a JSON object body; undefined for anything else. */
function field(body: string, name: string): string | undefined {
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)?.[name];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
