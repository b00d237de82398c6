/**
 * The Facebook Messenger provider's own topics: the raw webhook bodies as Meta posted them, what
 * its router could not map, and the Graph ids of the messages its connector sent. All kept like
 * raw events (nothing compacts them).
 */
import { sourceEventsTopic } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';
import { sourceTopics } from '../source-topics.js';

/** The `source` of Facebook channels and messages, the `sources.facebook` key and the webhook path `/webhooks/facebook`. */
export const FACEBOOK_SOURCE = 'facebook';

/** Raw webhook bodies, untouched, keyed by the page id of their first entry. */
export const FACEBOOK_EVENTS_TOPIC = sourceEventsTopic(FACEBOOK_SOURCE);

/** Events the router could not route, as JSON `{ code, reason, page_id, event }`, keyed by page id. */
export const FACEBOOK_DEAD_LETTER_TOPIC = 'source.facebook.dead-letters';

/**
 * The Graph message id (`mid`) of every message the connector sent → its Parley message id,
 * stamped with the time the send began, so the router finds the Parley message a contact's
 * `reaction` names (Airy Core's lookup by `source.id`).
 */
export const FACEBOOK_SENT_MIDS_TOPIC = 'source.facebook.sent-mids';

/** Every topic the provider reads or writes, with the config to create it with. */
export function facebookTopics(partitions = 1): NewTopic[] {
  return sourceTopics([FACEBOOK_EVENTS_TOPIC, FACEBOOK_DEAD_LETTER_TOPIC, FACEBOOK_SENT_MIDS_TOPIC], partitions);
}
