/**
 * The chat plugin's topics. `source.chatplugin.events` holds one JSON event per visitor message
 * (what `chatplugin.send` accepted), keyed by conversation id so one conversation's messages stay
 * in order on one partition; the router maps them to Message records and can re-map them after
 * a fix. Unroutable events go to `source.chatplugin.dead-letters` with the reason.
 */
import { sourceEventsTopic } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';
import { sourceTopics } from '../source-topics.js';

/** The source name: `Channel.source` and `Message.source` of chat plugin records. */
export const CHATPLUGIN_SOURCE = 'chatplugin';

/** Visitor message events, keyed by conversation id, values JSON (see mapping.ts). */
export const CHATPLUGIN_EVENTS_TOPIC = sourceEventsTopic(CHATPLUGIN_SOURCE);

/**
 * Events the router could not map, as JSON `{ code, reason, conversation_id, item }`, keyed by
 * conversation id. Kept like raw events: nothing compacts them.
 */
export const CHATPLUGIN_DEAD_LETTER_TOPIC = 'source.chatplugin.dead-letters';

/**
 * Every topic the chat plugin reads or writes, with the config to create it with. The `sources`
 * topic is listed because the channel lookups share the custom sources' SourceCatalog, which
 * reads it (it stays empty unless custom sources are used).
 */
export function chatPluginTopics(partitions = 1): NewTopic[] {
  return sourceTopics([CHATPLUGIN_EVENTS_TOPIC, CHATPLUGIN_DEAD_LETTER_TOPIC], partitions);
}
