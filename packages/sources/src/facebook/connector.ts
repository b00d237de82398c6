/**
 * The Messenger connector: PENDING outbound messages of `facebook` channels → Graph's Send API
 * (`POST /<version>/<PAGE_ID>/messages`, page token as Bearer) → the message again as DELIVERED
 * with `source.id` = Graph's `message_id`, or FAILED with `error` (Graph's `error.message`) and
 * `source.error` (Graph's body). Rate limits are retried with backoff by the Graph client.
 *
 * Request: `{ "recipient": { "id": PSID }, "messaging_type": "RESPONSE", "message": <content> }`:
 * the content is a Messenger message object (`{"text":"hi"}`, `{"attachment":{…}}`), Airy's
 * convention. The recipient is the message's `sourceRecipientId` or the conversation's contact
 * (the sender of its latest contact message, a table keyed by conversation id). Airy's rules:
 * older than `maxOutboundAgeMs` (300 s) → FAILED without a call; no recipient → FAILED ("cannot
 * start a conversation"). Meta's 24-hour window refusals (code 10, subcode 2018278) come back as
 * FAILED with Graph's message: reported, not swallowed. The same application fetches each
 * conversation's contact profile once (contact-profiles.ts).
 */
import { COMMUNICATION_TOPICS, metadataId, type Channel } from '@parley/schemas';
import { StreamsBuilder, type Topology } from '@parley/streams';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { deliveredOutcome, failedOutcome, writeDeliveryOutcomes, type DeliveryOutcome } from '../delivery-outcome.js';
import { DeliveryOutcomeProcessor } from '../delivery-processor.js';
import { FACEBOOK_SOURCE } from './facebook-topics.js';
import { contactProfileFetcher, GraphError, metaMessageStreams, profileTriggers, parseContentObject, textField, type GraphClient, type MetaPending } from '../meta-graph/index.js';

/** Names of the connector's stores and internal topics (part of the topology fingerprint). */
export const FACEBOOK_CONNECTOR_NAMES = Object.freeze({
  channelsStore: 'facebook-connector-channels',
  contactsStore: 'facebook-connector-contacts',
  pendingRepartition: 'facebook-connector-pending',
  deliver: 'facebook-connector-deliver',
  /** Conversations whose contact profile was fetched (`ok` / `failed`). */
  profilesStore: 'facebook-connector-profiles',
  profilesRepartition: 'facebook-connector-contact-messages',
  /** conversations.refetch requests by conversation, and each conversation's latest contact message. */
  refetchRepartition: 'facebook-connector-refetch-requests',
  latestContactStore: 'facebook-connector-latest-contact',
  fetchProfiles: 'facebook-connector-fetch-profiles',
});

export interface FacebookConnectorOptions {
  graph: GraphClient;
  maxOutboundAgeMs: number;
  serdes?: ModelSerdes;
  /** Finds a channel the global channels table does not hold yet (connected moments ago). */
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
  /** Milliseconds since the epoch. Default the task's system time. */
  clock?: () => number;
}

type Pending = MetaPending;

/** Adds the connector to `builder`. */
export function addFacebookConnector(builder: StreamsBuilder, options: FacebookConnectorOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const { channels, messages: facebook, pending } = metaMessageStreams(builder, FACEBOOK_SOURCE, FACEBOOK_CONNECTOR_NAMES, serdes);
  const outcomes = pending
    .process<string, DeliveryOutcome>(() => new SendProcessor(options), { named: FACEBOOK_CONNECTOR_NAMES.deliver });
  writeDeliveryOutcomes(outcomes, serdes);
  // Contact profiles: once per conversation, on its contact messages (by conversation, so one task owns each), and again on conversations.refetch.
  profileTriggers(builder, facebook, FACEBOOK_CONNECTOR_NAMES, serdes)
    .leftJoin(channels, (_k, t) => t.message.channelId, (t, channel) => ({ ...t, channel }))
    .process(contactProfileFetcher({ source: FACEBOOK_SOURCE, fields: 'first_name,last_name,profile_pic', read: messengerProfile, graph: options.graph, storeName: FACEBOOK_CONNECTOR_NAMES.profilesStore, ...(options.resolveChannel === undefined ? {} : { resolveChannel: options.resolveChannel }), ...(options.clock === undefined ? {} : { clock: options.clock }) }), { named: FACEBOOK_CONNECTOR_NAMES.fetchProfiles })
    .flatMap((_k, records) => records.map((r) => [metadataId(r.subject, r.key), r] as const))
    .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
}

/** The connector as a Topology of its own. */
export function buildFacebookConnectorTopology(options: FacebookConnectorOptions): Topology {
  const builder = new StreamsBuilder();
  addFacebookConnector(builder, options);
  return builder.build();
}

class SendProcessor extends DeliveryOutcomeProcessor<Pending> {
  readonly #options: FacebookConnectorOptions;

  constructor(options: FacebookConnectorOptions) {
    super(options.clock);
    this.#options = options;
  }

  protected async deliver(pending: Pending): Promise<DeliveryOutcome> {
    const { message } = pending;
    const now = this.now();
    const maxAge = this.#options.maxOutboundAgeMs;
    if (now - message.sentAt > maxAge) return failedOutcome(message, now, `the message is older than ${maxAge / 1000} s: not sent`);
    const channel = pending.channel ?? (await this.#options.resolveChannel?.(message.channelId)) ?? null;
    if (channel === null || channel.source !== FACEBOOK_SOURCE || channel.connectionState !== 'CONNECTED' || channel.token === null) {
      return failedOutcome(message, now, `channel ${message.channelId} is not a connected Facebook channel`);
    }
    const recipient = message.sourceRecipientId ?? pending.contact;
    if (recipient === null) return failedOutcome(message, now, 'cannot start a conversation: Messenger needs the contact to write first');
    const content = parseContentObject(message.content);
    if (content === undefined) return failedOutcome(message, now, 'the content must be a Messenger message object such as {"text":"hello"}');
    try {
      const answer = (await this.#options.graph.call({
        method: 'POST',
        path: `/${encodeURIComponent(channel.sourceChannelId)}/messages`,
        token: channel.token,
        body: { recipient: { id: recipient }, messaging_type: 'RESPONSE', message: content },
      })) as { message_id?: unknown } | undefined;
      const done = this.now();
      const mid = typeof answer?.message_id === 'string' && answer.message_id.length > 0 ? answer.message_id : undefined;
      return deliveredOutcome(message, done, mid);
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      return failedOutcome(message, this.now(), err.message, err.body);
    }
  }
}

/** Messenger's profile: "first last" and `profile_pic`. */
function messengerProfile(answer: Record<string, unknown>) {
  return { name: `${textField(answer, 'first_name')} ${textField(answer, 'last_name')}`.trim(), picture: textField(answer, 'profile_pic') };
}
