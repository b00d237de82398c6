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
 * FAILED with Graph's message: reported, not swallowed. The shared send step is
 * ../meta-graph/meta-sender.ts. Every sent mid is also written to `source.facebook.sent-mids`
 * (mid → Parley message id), stamped with the time the send began, so the router maps a
 * contact's reaction to the Parley message it names. The same application fetches each
 * conversation's contact profile once (../meta-graph/contact-profiles.ts).
 */
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import { FACEBOOK_SENT_MIDS_TOPIC, FACEBOOK_SOURCE } from './facebook-topics.js';
import { addContactProfiles, messageIdOfAnswer, metaMessageStreams, sendPendingMessages, textField, type MetaConnectorOptions, type MetaSendSpec } from '../meta-graph/index.js';

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

export type FacebookConnectorOptions = MetaConnectorOptions;

const SEND: MetaSendSpec = {
  source: FACEBOOK_SOURCE,
  displayName: 'Facebook',
  noRecipient: 'cannot start a conversation: Messenger needs the contact to write first',
  badContent: 'the content must be a Messenger message object such as {"text":"hello"}',
  request: (channel, token, recipient, content) => ({
    method: 'POST',
    path: `/${encodeURIComponent(channel.sourceChannelId)}/messages`,
    token,
    body: { recipient: { id: recipient }, messaging_type: 'RESPONSE', message: content },
  }),
  sentId: messageIdOfAnswer,
};

/** Adds the connector to `builder`. */
export function addFacebookConnector(builder: StreamsBuilder, options: FacebookConnectorOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const { channels, messages: facebook, pending } = metaMessageStreams(builder, FACEBOOK_SOURCE, FACEBOOK_CONNECTOR_NAMES, serdes);
  sendPendingMessages(pending, SEND, options, FACEBOOK_CONNECTOR_NAMES.deliver, serdes)
    .filter((_k, v) => v.sentId !== null)
    .map((_k, v) => [v.sentId!, v.outcome.message.id] as const)
    .to(FACEBOOK_SENT_MIDS_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.string() });
  // Contact profiles: once per conversation, on its contact messages (by conversation, so one task owns each), and again on conversations.refetch.
  addContactProfiles(builder, facebook, channels, FACEBOOK_CONNECTOR_NAMES, { source: FACEBOOK_SOURCE, fields: 'first_name,last_name,profile_pic', read: messengerProfile }, options, serdes);
}

/** The connector as a Topology of its own. */
export function buildFacebookConnectorTopology(options: FacebookConnectorOptions): Topology {
  const builder = new StreamsBuilder();
  addFacebookConnector(builder, options);
  return builder.build();
}

/** Messenger's profile: "first last" and `profile_pic`. */
function messengerProfile(answer: Record<string, unknown>) {
  return { name: `${textField(answer, 'first_name')} ${textField(answer, 'last_name')}`.trim(), picture: textField(answer, 'profile_pic') };
}
