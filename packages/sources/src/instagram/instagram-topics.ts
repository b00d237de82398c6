/**
 * The Instagram provider's own topics: the raw webhook bodies, what its router could not map,
 * and the Graph ids of the messages its connector sent (to recognise their echoes).
 */
import { sourceEventsTopic } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';
import { sourceTopics } from '../source-topics.js';

/** The `source` of Instagram channels and messages, the `sources.instagram` key and the webhook path `/webhooks/instagram`. */
export const INSTAGRAM_SOURCE = 'instagram';

/** Raw webhook bodies, untouched, keyed by the Instagram account id of their first entry. */
export const INSTAGRAM_EVENTS_TOPIC = sourceEventsTopic(INSTAGRAM_SOURCE);

/** Events the router could not route, as JSON `{ code, reason, account_id, event }`, keyed by account id. */
export const INSTAGRAM_DEAD_LETTER_TOPIC = 'source.instagram.dead-letters';

/**
 * The Graph message id (`mid`) of every message the connector sent → its Parley message id,
 * stamped with the time the send began. Instagram echoes carry no app id, so the router drops an
 * echo whose mid is here (Airy Core slept in the stream thread waiting for it, and still
 * duplicated messages).
 */
export const INSTAGRAM_SENT_MIDS_TOPIC = 'source.instagram.sent-mids';

/** Every topic the provider reads or writes, with the config to create it with. */
export function instagramTopics(partitions = 1): NewTopic[] {
  return sourceTopics([INSTAGRAM_EVENTS_TOPIC, INSTAGRAM_DEAD_LETTER_TOPIC, INSTAGRAM_SENT_MIDS_TOPIC], partitions);
}
