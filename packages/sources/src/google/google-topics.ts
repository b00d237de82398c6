/**
 * Google Business Messages' topics: `source.google.events` holds every signed UserMessage exactly
 * as Google posted it; what the router cannot map goes to `source.google.dead-letters`.
 */
import { sourceEventsTopic } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';
import { sourceTopics } from '../source-topics.js';

/** `Channel.source` and `Message.source` of Google Business Messages records. */
export const GOOGLE_SOURCE = 'google';

export const GOOGLE_EVENTS_TOPIC = sourceEventsTopic(GOOGLE_SOURCE);

/** Events the router could not map, as JSON `{ code, reason, item }`. */
export const GOOGLE_DEAD_LETTER_TOPIC = 'source.google.dead-letters';

export const GOOGLE_APPLICATION_IDS = Object.freeze({ router: 'sources.google.router', connector: 'sources.google.connector' });

export function googleTopics(partitions = 1): NewTopic[] {
  return sourceTopics([GOOGLE_EVENTS_TOPIC, GOOGLE_DEAD_LETTER_TOPIC], partitions);
}
