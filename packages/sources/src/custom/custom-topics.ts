/**
 * The topics of custom sources. All custom sources share one raw topic, `source.custom.events`,
 * keyed by source id (so one source's payloads stay in order): sources are created at runtime,
 * and one topic per source would need topic subscription by pattern in every router. The source
 * id in the key is what the router maps by, and what a re-route reads back.
 */
import { sourceEventsTopic } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';
import { sourceTopics } from '../source-topics.js';

/** The raw payloads of every custom source, keyed by source id, values untouched. */
export const CUSTOM_EVENTS_TOPIC = sourceEventsTopic('custom');

/**
 * Payloads (or single items of one) the router could not map, as JSON
 * `{ code, reason, source_id, item }`, keyed by source id. Kept like raw events: nothing compacts them.
 */
export const CUSTOM_DEAD_LETTER_TOPIC = 'source.custom.dead-letters';

/** Every topic custom sources read or write, with the config to create it with. */
export function customSourceTopics(partitions = 1): NewTopic[] {
  return sourceTopics([CUSTOM_EVENTS_TOPIC, CUSTOM_DEAD_LETTER_TOPIC], partitions);
}
