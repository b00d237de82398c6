/**
 * Viber's topics. `source.viber.events` holds every signed callback exactly as Viber posted it
 * (unkeyed: one bot account per installation). `source.viber.message-tokens` is written by the
 * connector: Viber's `message_token` of each message it accepted → that message, so the router
 * can apply the `delivered`, `seen` and `failed` callbacks to the message they name.
 */
import { sourceEventsTopic } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';
import { sourceTopics } from '../source-topics.js';

/** `Channel.source` and `Message.source` of Viber records. */
export const VIBER_SOURCE = 'viber';

/** Raw callbacks, values untouched. */
export const VIBER_EVENTS_TOPIC = sourceEventsTopic(VIBER_SOURCE);

/** Callbacks the router could not map, as JSON `{ code, reason, item }`. */
export const VIBER_DEAD_LETTER_TOPIC = 'source.viber.dead-letters';

/** `message_token` (decimal string) → the sent Message (JSON), written by the connector. */
export const VIBER_MESSAGE_TOKENS_TOPIC = 'source.viber.message-tokens';

/** Application ids of the two topologies. */
export const VIBER_APPLICATION_IDS = Object.freeze({ router: 'sources.viber.router', connector: 'sources.viber.connector' });

/** Every topic Viber's router and connector read or write, with the config to create it with. */
export function viberTopics(partitions = 1): NewTopic[] {
  return sourceTopics([VIBER_EVENTS_TOPIC, VIBER_DEAD_LETTER_TOPIC, VIBER_MESSAGE_TOKENS_TOPIC], partitions);
}
