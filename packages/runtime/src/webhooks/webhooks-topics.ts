import type { NewTopic } from '@parley/streams';

/**
 * The webhooks' own topics (the subscriptions are model records on
 * `application.communication.webhooks`, see @parley/schemas).
 */
export const WEBHOOKS_TOPICS = Object.freeze({
  /**
   * Every event, in one partition so its offset is a total order: the cursor of the realtime
   * socket and the range of `webhooks.replay`. Key: the lane key (conversation or entity id).
   */
  events: 'webhooks.events',
  /** One record per delivery attempt (status, latency, error), kept 7 days: `webhooks.deliveries`. */
  attempts: 'webhooks.attempts',
  /** Deliveries that ran out of attempts, keyed `<webhookId>/<eventId>` (compacted): `webhooks.dead-letters`. */
  deadLetters: 'webhooks.dead-letters',
});

const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;

export const WEBHOOKS_NEW_TOPICS: readonly NewTopic[] = [
  { name: WEBHOOKS_TOPICS.events, partitions: 1 },
  { name: WEBHOOKS_TOPICS.attempts, partitions: 1, config: { cleanupPolicy: 'delete', retentionMs: SEVEN_DAYS_MS } },
  { name: WEBHOOKS_TOPICS.deadLetters, partitions: 1, config: { cleanupPolicy: 'compact' } },
];

/** The consumer group of the publisher (communication topics → events and delivery jobs). */
export const PUBLISHER_GROUP = 'parley-webhooks-publisher';
