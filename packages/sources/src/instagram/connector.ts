/**
 * The Instagram connector: PENDING outbound messages of `instagram` channels → Graph's Send API
 * (`POST /<version>/me/messages`, the page token of the linked Facebook page as Bearer) with
 * `{ "recipient": { "id": IGSID }, "message": <content> }` → DELIVERED with `source.id` = Graph's
 * `message_id`, or FAILED with `error` / `source.error` from Graph's error body. Rate limits are
 * retried with backoff (../meta-graph/graph-client.ts); the shared send step is
 * ../meta-graph/meta-sender.ts. Airy's rules: older than
 * `maxOutboundAgeMs` → FAILED without a call; no recipient → FAILED ("cannot start a
 * conversation"). Every sent mid is also written to `source.instagram.sent-mids`, stamped with the
 * time the send began, so the router recognises the echo Meta sends back. The same application
 * fetches each conversation's contact profile once (`name`, `username`, `profile_pic`).
 */
import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import { addContactProfiles, messageIdOfAnswer, metaMessageStreams, sendPendingMessages, textField, type MetaConnectorOptions, type MetaSendSpec } from '../meta-graph/index.js';
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

export type InstagramConnectorOptions = MetaConnectorOptions;

const SEND: MetaSendSpec = {
  source: INSTAGRAM_SOURCE,
  displayName: 'Instagram',
  noRecipient: 'cannot start a conversation: Instagram needs the contact to write first',
  badContent: 'the content must be an Instagram message object such as {"text":"hello"}',
  request: (_channel, token, recipient, content) => ({ method: 'POST', path: '/me/messages', token, body: { recipient: { id: recipient }, message: content } }),
  sentId: messageIdOfAnswer,
};

/** Adds the connector to `builder`. */
export function addInstagramConnector(builder: StreamsBuilder, options: InstagramConnectorOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const { channels, messages: instagram, pending } = metaMessageStreams(builder, INSTAGRAM_SOURCE, INSTAGRAM_CONNECTOR_NAMES, serdes);
  sendPendingMessages(pending, SEND, options, INSTAGRAM_CONNECTOR_NAMES.deliver, serdes)
    .filter((_k, v) => v.sentId !== null)
    .map((_k, v) => [v.sentId!, v.outcome.message.id] as const)
    .to(INSTAGRAM_SENT_MIDS_TOPIC, { keySerde: serdes.key, valueSerde: Serdes.string() });
  const read = (answer: Record<string, unknown>) => ({ name: textField(answer, 'name') || textField(answer, 'username'), picture: textField(answer, 'profile_pic') });
  addContactProfiles(builder, instagram, channels, INSTAGRAM_CONNECTOR_NAMES, { source: INSTAGRAM_SOURCE, fields: 'name,username,profile_pic', read }, options, serdes);
}

/** The connector as a Topology of its own. */
export function buildInstagramConnectorTopology(options: InstagramConnectorOptions): Topology {
  const builder = new StreamsBuilder();
  addInstagramConnector(builder, options);
  return builder.build();
}
