/**
 * The Instagram connector: PENDING outbound messages of `instagram` channels → Graph's Send API
 * (`POST /<version>/me/messages`, the page token of the linked Facebook page as Bearer) with
 * `{ "recipient": { "id": IGSID }, "message": <content> }` → DELIVERED with `source.id` = Graph's
 * `message_id`, or FAILED with `error` / `source.error` from Graph's error body. Rate limits are
 * retried with backoff (../meta-graph/graph-client.ts). Airy's rules: older than
 * `maxOutboundAgeMs` → FAILED without a call; no recipient → FAILED ("cannot start a
 * conversation"). Every sent mid is also written to `source.instagram.sent-mids`, stamped with the
 * time the send began, so the router recognises the echo Meta sends back. The same application
 * fetches each conversation's contact profile once (`name`, `username`, `profile_pic`).
 */
import { COMMUNICATION_TOPICS, metadataId, type Channel, type Message } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { deliveredOutcome, failedOutcome, writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { contactProfileFetcher, GraphError, metaMessageStreams, profileTriggers, parseContentObject, StampedAtSendProcessor, textField, type GraphClient, type MetaPending } from '../meta-graph/index.js';
import { INSTAGRAM_SENT_MIDS_TOPIC, INSTAGRAM_SOURCE } from './instagram-topics.js';

/** Names of the connector's stores and internal topics (part of the topology fingerprint). */
export const INSTAGRAM_CONNECTOR_NAMES = Object.freeze({
  channelsStore: 'instagram-connector-channels',
  contactsStore: 'instagram-connector-contacts',
  pendingRepartition: 'instagram-connector-pending',
  deliver: 'instagram-connector-deliver',
  profilesStore: 'instagram-connector-profiles',
  profilesRepartition: 'instagram-connector-contact-messages',
  /** conversations.refetch requests by conversation, and each conversation's latest contact message. */
  refetchRepartition: 'instagram-connector-refetch-requests',
  latestContactStore: 'instagram-connector-latest-contact',
  fetchProfiles: 'instagram-connector-fetch-profiles',
});

export interface InstagramConnectorOptions {
  graph: GraphClient;
  maxOutboundAgeMs: number;
  serdes?: ModelSerdes;
  /** Finds a channel the global channels table does not hold yet (connected moments ago). */
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
  /** Milliseconds since the epoch. Default the task's system time. */
  clock?: () => number;
}

type Pending = MetaPending;

/** A delivery outcome plus the sent mid, if Graph gave one. */
interface Sent {
  outcome: DeliveryOutcome;
  mid: string | null;
}

/** Adds the connector to `builder`. */
export function addInstagramConnector(builder: StreamsBuilder, options: InstagramConnectorOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const { channels, messages: instagram, pending } = metaMessageStreams(builder, INSTAGRAM_SOURCE, INSTAGRAM_CONNECTOR_NAMES, serdes);
  const sent = pending
    .process<string, Sent>(() => new SendProcessor(options), { named: INSTAGRAM_CONNECTOR_NAMES.deliver });
  writeDeliveryOutcomes(sent.map((k, v) => [k, v.outcome] as const), serdes);
  sent
    .filter((_k, v) => v.mid !== null)
    .map((_k, v) => [v.mid!, v.outcome.message.id] as const)
    .to(INSTAGRAM_SENT_MIDS_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.string() });
  profileTriggers(builder, instagram, INSTAGRAM_CONNECTOR_NAMES, serdes)
    .leftJoin(channels, (_k, t) => t.message.channelId, (t, channel) => ({ ...t, channel }))
    .process(
      contactProfileFetcher({
        source: INSTAGRAM_SOURCE,
        fields: 'name,username,profile_pic',
        read: (answer) => ({ name: textField(answer, 'name') || textField(answer, 'username'), picture: textField(answer, 'profile_pic') }),
        graph: options.graph,
        storeName: INSTAGRAM_CONNECTOR_NAMES.profilesStore,
        ...(options.resolveChannel === undefined ? {} : { resolveChannel: options.resolveChannel }),
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      }),
      { named: INSTAGRAM_CONNECTOR_NAMES.fetchProfiles },
    )
    .flatMap((_k, records) => records.map((r) => [metadataId(r.subject, r.key), r] as const))
    .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
}

/** The connector as a Topology of its own. */
export function buildInstagramConnectorTopology(options: InstagramConnectorOptions): Topology {
  const builder = new StreamsBuilder();
  addInstagramConnector(builder, options);
  return builder.build();
}

class SendProcessor extends StampedAtSendProcessor<Pending, Sent> {
  readonly #options: InstagramConnectorOptions;

  constructor(options: InstagramConnectorOptions) {
    super(options.clock);
    this.#options = options;
  }

  protected async send(pending: Pending, now: number): Promise<Sent> {
    const { message } = pending;
    const maxAge = this.#options.maxOutboundAgeMs;
    if (now - message.sentAt > maxAge) return failed(message, now, `the message is older than ${maxAge / 1000} s: not sent`);
    const channel = pending.channel ?? (await this.#options.resolveChannel?.(message.channelId)) ?? null;
    if (channel === null || channel.source !== INSTAGRAM_SOURCE || channel.connectionState !== 'CONNECTED' || channel.token === null) {
      return failed(message, now, `channel ${message.channelId} is not a connected Instagram channel`);
    }
    const recipient = message.sourceRecipientId ?? pending.contact;
    if (recipient === null) return failed(message, now, 'cannot start a conversation: Instagram needs the contact to write first');
    const content = parseContentObject(message.content);
    if (content === undefined) return failed(message, now, 'the content must be an Instagram message object such as {"text":"hello"}');
    try {
      const answer = (await this.#options.graph.call({ method: 'POST', path: '/me/messages', token: channel.token, body: { recipient: { id: recipient }, message: content } })) as { message_id?: unknown } | undefined;
      const done = this.now();
      const mid = typeof answer?.message_id === 'string' && answer.message_id.length > 0 ? answer.message_id : null;
      return { outcome: deliveredOutcome(message, done, mid), mid };
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      return failed(message, this.now(), err.message, err.body);
    }
  }
}

function failed(message: Message, now: number, reason: string, sourceError?: string): Sent {
  return { outcome: failedOutcome(message, now, reason, sourceError), mid: null };
}
