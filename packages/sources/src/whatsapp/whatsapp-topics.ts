/**
 * The WhatsApp Cloud API provider's own topics: raw webhook bodies, what the router could not
 * map, and the messages its connector sent, by WhatsApp message id (to apply their `statuses`).
 */
import { COMMUNICATION_TOPICS, sourceEventsTopic } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';
import { sourceTopics } from '../source-topics.js';

/** The `source` of WhatsApp channels and messages, the `sources.whatsapp` key and the webhook path `/webhooks/whatsapp`. */
export const WHATSAPP_SOURCE = 'whatsapp';

/** Raw webhook bodies, untouched, keyed by the phone number id of their first change. */
export const WHATSAPP_EVENTS_TOPIC = sourceEventsTopic(WHATSAPP_SOURCE);

/** Items the router could not route, as JSON `{ code, reason, phone_number_id, event }`, keyed by phone number id. */
export const WHATSAPP_DEAD_LETTER_TOPIC = 'source.whatsapp.dead-letters';

/**
 * Every message the connector sent: WhatsApp message id (`wamid`) → the Message as delivered
 * (JSON), stamped with the time the send began, so the router can apply `statuses[]` (delivered,
 * read, failed) to the right Parley message (Airy Core ignored them).
 */
export const WHATSAPP_SENT_TOPIC = 'source.whatsapp.sent';

/** Every topic the provider reads or writes (read receipts too, for mark-read), with the config to create it with. */
export function whatsappTopics(partitions = 1): NewTopic[] {
  const readReceipts = COMMUNICATION_TOPICS.readReceipts;
  return [...sourceTopics([WHATSAPP_EVENTS_TOPIC, WHATSAPP_DEAD_LETTER_TOPIC, WHATSAPP_SENT_TOPIC], partitions), { name: readReceipts.name, partitions, config: { ...readReceipts.config } }];
}
