/**
 * The publisher: a consumer (group `parley-webhooks-publisher`, committed offsets) of the
 * communication topics. For each batch it appends the events (webhook-events.ts) to
 * `webhooks.events`, enqueues one delivery job per event and matching subscription, then commits.
 * A crash between the two re-does the batch: the same event ids again (at least once; receivers
 * dedupe on `webhook-id`). Across runtime instances on one Kafka cluster the group splits the
 * partitions, so each event is published and enqueued by one instance, not once per instance.
 */
import type { Webhook } from '@parley/schemas';
import type { Log, LogConsumer, RecordBatch } from '@parley/streams';
import type { Logger } from '../logger.js';
import type { DeliveryJob, DeliveryQueue } from './queue/delivery-queue.js';
import { waitForTopics } from './topics-ready.js';
import { encodeEvent, EventMapper, publisherTopics, type WebhookEvent } from './webhook-events.js';
import type { WebhookViews } from './webhook-views.js';
import { PUBLISHER_GROUP, WEBHOOKS_TOPICS } from './webhooks-topics.js';

/** Whether `webhook` is sent `event` (live): subscribed, the type selected, logged after it subscribed. */
export function wants(webhook: Webhook, event: Pick<WebhookEvent, 'type' | 'loggedAt'>): boolean {
  return webhook.status === 'SUBSCRIBED' && (webhook.events.length === 0 || webhook.events.includes(event.type)) && event.loggedAt >= webhook.subscribedAt;
}

/** The lane of a job: one webhook, one conversation or entity. */
export function jobLane(webhookId: string, eventLane: string): string {
  return `${webhookId} ${eventLane}`;
}

/** Backoff of the publisher's restarts after a failure, ms. */
const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;

/** How long a batch waits for subscriptions made on other instances to be applied here, ms. */
const SUBSCRIPTIONS_WAIT_MS = 5000;

export interface EventPublisherOptions {
  log: Log;
  queue: DeliveryQueue;
  views: WebhookViews;
  logger: Logger;
  communicationAppId: string;
}

export class EventPublisher {
  readonly #options: EventPublisherOptions;
  readonly #mapper: EventMapper;
  #consumer: LogConsumer | undefined;
  #stopped = false;
  #restartTimer: NodeJS.Timeout | undefined;
  /** Wait before the next restart after a failure, ms (doubles up to RESTART_MAX_MS, reset by a published batch). */
  #restartDelayMs = RESTART_MIN_MS;

  constructor(options: EventPublisherOptions) {
    this.#options = options;
    this.#mapper = new EventMapper(options.communicationAppId);
  }

  async start(): Promise<void> {
    const { log } = this.#options;
    const topics = Object.values(publisherTopics(this.#options.communicationAppId));
    const existing = new Set(await log.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    // The conversations changelog exists once the communication app has run; the model topics are created by it too.
    if (missing.length > 0) await log.createTopics(missing.map((name) => ({ name, partitions: 1 })), { ifNotExists: true });
    await waitForTopics(log, topics);
    await startAtEndOnFirstRun(log, topics);
    await this.#run(topics);
  }

  /**
   * Consumes until stopped. A failed batch (the log refusing appends: a full or failing disk)
   * stops the consumer; it is started again after a backoff, from the last committed offsets, so
   * the events of that batch are published then (at least once: receivers dedupe by webhook-id).
   */
  async #run(topics: readonly string[]): Promise<void> {
    const { log } = this.#options;
    const consumer = log.consumer({
      groupId: PUBLISHER_GROUP,
      topics: [...topics],
      onError: (err) => {
        if (this.#consumer === consumer) this.#restartLater(topics, err);
      },
    });
    this.#consumer = consumer;
    await consumer.run(async (batch) => {
      await this.#publish(consumer, batch);
      this.#restartDelayMs = RESTART_MIN_MS;
    });
  }

  #restartLater(topics: readonly string[], err: unknown): void {
    if (this.#stopped) return;
    const retryInMs = this.#restartDelayMs;
    this.#restartDelayMs = Math.min(this.#restartDelayMs * 2, RESTART_MAX_MS);
    this.#options.logger.error('webhooks.publisher.failed', { err, retryInMs });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#stopped) this.#run(topics).catch((startErr: unknown) => this.#restartLater(topics, startErr));
    }, retryInMs);
    this.#restartTimer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#restartTimer);
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.stop();
  }

  async #publish(consumer: LogConsumer, batch: RecordBatch): Promise<void> {
    const events: WebhookEvent[] = [];
    for (const record of batch.records) {
      try {
        events.push(...this.#mapper.eventsOf(record));
      } catch (err) {
        // One unreadable record must not stop every other event.
        this.#options.logger.warn('webhooks.publisher.skipped', { topic: record.topic, partition: record.partition, offset: record.offset, err });
      }
    }
    if (events.length > 0) {
      if (!(await this.#options.views.subscriptionsApplied(SUBSCRIPTIONS_WAIT_MS))) this.#options.logger.warn('webhooks.publisher.subscriptions_behind', { timeoutMs: SUBSCRIPTIONS_WAIT_MS });
      await this.#options.log.append(
        WEBHOOKS_TOPICS.events,
        events.map((e) => ({ key: Buffer.from(e.lane), value: encodeEvent(e), partition: 0 })),
      );
      await this.#options.queue.enqueue(jobsFor(events, this.#options.views.webhooks(), 'event'));
    }
    const last = batch.records.at(-1);
    if (last !== undefined) await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: last.offset + 1 }]);
  }
}

/**
 * A new deployment publishes what is logged from its first start on, not the whole history: the
 * first run commits the topics' end offsets, so what is appended while it is down later is not skipped.
 */
async function startAtEndOnFirstRun(log: Log, topics: readonly string[]): Promise<void> {
  for (const topic of topics) {
    const committed = await log.committedOffsets(PUBLISHER_GROUP, topic);
    const { partitions } = await log.describeTopic(topic);
    const offsets = [];
    for (let partition = 0; partition < partitions; partition++) {
      if (committed.some((c) => c.partition === partition)) continue;
      offsets.push({ topic, partition, offset: await log.endOffset({ topic, partition }) });
    }
    if (offsets.length > 0) await log.commitOffsets(PUBLISHER_GROUP, offsets);
  }
}

/** One job per event and live subscription that wants it, in event order. */
export function jobsFor(events: readonly WebhookEvent[], webhooks: readonly Webhook[], origin: DeliveryJob['origin']): DeliveryJob[] {
  const jobs: DeliveryJob[] = [];
  for (const event of events) {
    for (const webhook of webhooks) {
      if (wants(webhook, event)) jobs.push({ eventId: event.id, webhookId: webhook.id, lane: jobLane(webhook.id, event.lane), body: event.body, origin });
    }
  }
  return jobs;
}
