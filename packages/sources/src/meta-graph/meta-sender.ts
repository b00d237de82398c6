/**
 * The send step the Meta connectors (Facebook Messenger, Instagram, WhatsApp Cloud) share: a
 * PENDING outbound message (with its channel and its conversation's contact) → one Graph API call
 * → DELIVERED with `source.id` = the id Meta gave the message, or FAILED with `error` /
 * `source.error` from Graph's error body. Airy's rules: older than `maxOutboundAgeMs` → FAILED
 * without a call; not a connected channel of the provider → FAILED; no recipient → FAILED
 * ("cannot start a conversation"); content that is not a JSON object → FAILED. Rate limits are
 * retried with backoff by the Graph client. Each provider gives only its request and where the
 * answer names the message (MetaSendSpec). The outcome is stamped with the start of the send
 * (StampedAtSendProcessor), so Meta's later events about the id find it.
 */
import type { Channel, Message } from '@parley/schemas';
import type { KStream } from '@parley/streams';
import type { ModelSerdes } from '@parley/communication';
import { deliveredOutcome, failedOutcome, writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { GraphError, type GraphClient, type GraphRequest } from './graph-client.js';
import { parseContentObject, type MetaPending } from './pending-messages.js';
import { StampedAtSendProcessor } from './sent-processor.js';

/** What every Meta connector is built with. */
export interface MetaConnectorOptions {
  graph: GraphClient;
  maxOutboundAgeMs: number;
  serdes?: ModelSerdes;
  /** Finds a channel the global channels table does not hold yet (connected moments ago). */
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
  /** Milliseconds since the epoch. Default the task's system time. */
  clock?: () => number;
}

/** What one provider's send differs in. */
export interface MetaSendSpec {
  /** The channels' source: other channels fail. */
  source: string;
  /** The provider's name in the `error` text (`Facebook`). */
  displayName: string;
  /** The `error` when there is no recipient, and when the content is not a JSON object. */
  noRecipient: string;
  badContent: string;
  /** The Graph call that sends `content` to `recipient` over `channel` with `token`. */
  request(channel: Channel, token: string, recipient: string, content: Record<string, unknown>): GraphRequest;
  /** Meta's id of the sent message in Graph's answer, or null. */
  sentId(answer: unknown): string | null;
}

/** A delivery outcome plus Meta's id of the sent message (null when it failed or Graph gave none). */
export interface MetaSent {
  outcome: DeliveryOutcome;
  sentId: string | null;
}

/**
 * Sends every PENDING message of `pending` and writes the outcomes (messages and their metadata);
 * returns them with Meta's ids for the provider's own bookkeeping.
 */
export function sendPendingMessages(pending: KStream<string, MetaPending>, spec: MetaSendSpec, options: MetaConnectorOptions, named: string, serdes: ModelSerdes): KStream<string, MetaSent> {
  const sent = pending.process<string, MetaSent>(() => new MetaSendProcessor(spec, options), { named });
  writeDeliveryOutcomes(sent.map((k, v) => [k, v.outcome] as const), serdes);
  return sent;
}

class MetaSendProcessor extends StampedAtSendProcessor<MetaPending, MetaSent> {
  readonly #spec: MetaSendSpec;
  readonly #options: MetaConnectorOptions;

  constructor(spec: MetaSendSpec, options: MetaConnectorOptions) {
    super(options.clock);
    this.#spec = spec;
    this.#options = options;
  }

  protected async send(pending: MetaPending, now: number): Promise<MetaSent> {
    const { message } = pending;
    const spec = this.#spec;
    const maxAge = this.#options.maxOutboundAgeMs;
    if (now - message.sentAt > maxAge) return failed(message, now, `the message is older than ${maxAge / 1000} s: not sent`);
    const channel = pending.channel ?? (await this.#options.resolveChannel?.(message.channelId)) ?? null;
    if (channel === null || channel.source !== spec.source || channel.connectionState !== 'CONNECTED' || channel.token === null) {
      return failed(message, now, `channel ${message.channelId} is not a connected ${spec.displayName} channel`);
    }
    const recipient = message.sourceRecipientId ?? pending.contact;
    if (recipient === null) return failed(message, now, spec.noRecipient);
    const content = parseContentObject(message.content);
    if (content === undefined) return failed(message, now, spec.badContent);
    try {
      const answer = await this.#options.graph.call(spec.request(channel, channel.token, recipient, content));
      const sentId = spec.sentId(answer);
      return { outcome: deliveredOutcome(message, this.now(), sentId), sentId };
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      return failed(message, this.now(), err.message, err.body);
    }
  }
}

function failed(message: Message, now: number, reason: string, sourceError?: string): MetaSent {
  return { outcome: failedOutcome(message, now, reason, sourceError), sentId: null };
}

/** Messenger's and Instagram's answer `{ recipient_id, message_id }`: the `message_id`. */
export function messageIdOfAnswer(answer: unknown): string | null {
  const id = (answer as { message_id?: unknown } | undefined)?.message_id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}
