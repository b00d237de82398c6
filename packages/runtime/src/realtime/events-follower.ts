/**
 * Feeds the realtime hub: a consumer of `webhooks.events` in a group of its own (one per
 * process, no commits), from the end of the log at start. Every runtime instance follows every
 * event, so a UI reaches any instance. Catch-up after a reconnect reads the log directly.
 */
import { randomUUID } from 'node:crypto';
import type { Log, LogConsumer } from '@parley/streams';
import type { Logger } from '../logger.js';
import type { LoggedEvent } from '../webhooks/event-log.js';
import { decodeEvent } from '../webhooks/webhook-events.js';
import { waitForTopics } from '../webhooks/topics-ready.js';
import { WEBHOOKS_TOPICS } from '../webhooks/webhooks-topics.js';

export class EventsFollower {
  readonly #log: Log;
  readonly #logger: Logger;
  #consumer: LogConsumer | undefined;

  constructor(options: { log: Log; logger: Logger }) {
    this.#log = options.log;
    this.#logger = options.logger;
  }

  async start(publish: (events: LoggedEvent[]) => void): Promise<void> {
    await this.#log.createTopics([{ name: WEBHOOKS_TOPICS.events, partitions: 1 }], { ifNotExists: true });
    await waitForTopics(this.#log, [WEBHOOKS_TOPICS.events]);
    const consumer = this.#log.consumer({
      groupId: `parley-realtime-${randomUUID()}`,
      topics: [WEBHOOKS_TOPICS.events],
      autoOffsetReset: 'latest',
      onError: (err) => this.#logger.error('realtime.follower.failed', { err }),
    });
    this.#consumer = consumer;
    await consumer.run((batch) => {
      const events: LoggedEvent[] = [];
      for (const r of batch.records) {
        if (r.value === null) continue;
        try {
          events.push({ offset: r.offset, event: decodeEvent(r.value) });
        } catch (err) {
          this.#logger.warn('realtime.follower.skipped', { offset: r.offset, err });
        }
      }
      publish(events);
    });
  }

  async stop(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.stop();
  }
}
