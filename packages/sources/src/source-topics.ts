import { COMMUNICATION_TOPICS, SOURCE_EVENTS_TOPIC_CONFIG } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';

/**
 * The topics a source's router and connector use, with the config to create them with: the
 * model topics it reads or writes (`sources`, `channels`, `messages`, `metadata`) and its own raw
 * topics (events, dead letters), kept like raw events: nothing compacts them.
 */
export function sourceTopics(rawTopics: readonly string[], partitions = 1): NewTopic[] {
  const model = (['sources', 'channels', 'messages', 'metadata'] as const).map((d) => ({
    name: COMMUNICATION_TOPICS[d].name,
    partitions,
    config: { ...COMMUNICATION_TOPICS[d].config },
  }));
  return [...model, ...rawTopics.map((name) => ({ name, partitions, config: { ...SOURCE_EVENTS_TOPIC_CONFIG } }))];
}
