/**
 * The running webhooks: the views, the delivery queue, the publisher, the delivery worker, and
 * the operations the API calls (subscribe, replay, …). Started by the runtime after the
 * topologies (register-webhooks.ts), stopped before the log closes.
 */
import { COMMUNICATION_TOPICS } from '@parley/schemas';
import type { Log } from '@parley/streams';
import { RuntimeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RuntimeConfig } from '../config/config-schema.js';
import type { AttemptOutcome } from './delivery-records.js';
import { DeliveryWorker } from './delivery-worker.js';
import { EventPublisher, jobLane } from './event-publisher.js';
import { HttpSender } from './http-sender.js';
import type { DeliveryJob, DeliveryQueue } from './queue/delivery-queue.js';
import { openDeliveryQueue } from './queue/open-delivery-queue.js';
import { readEvents, type ReplayRange } from './event-log.js';
import { WebhookViews } from './webhook-views.js';
import type { WebhooksConfig } from './webhooks-config.js';
import { waitForTopics } from './topics-ready.js';
import { WEBHOOKS_NEW_TOPICS } from './webhooks-topics.js';

/**
 * The queue backend a configuration uses: as configured; else Redis on a Kafka deployment that
 * names a Redis URL (shared by every instance), else the log.
 */
export function queueBackendOf(config: RuntimeConfig): 'embedded' | 'redis' {
  return config.webhooks.queue.backend ?? (config.log.backend === 'kafka' && config.webhooks.queue.url !== undefined ? 'redis' : 'embedded');
}

export interface WebhooksServiceOptions {
  log: Log;
  logger: Logger;
  config: RuntimeConfig;
  communicationAppId: string;
  /** Told each delivery attempt's outcome (the metrics). */
  onAttempt?: (outcome: AttemptOutcome) => void;
}


export class WebhooksService {
  readonly views: WebhookViews;
  readonly config: WebhooksConfig;
  readonly #options: WebhooksServiceOptions;
  #queue: DeliveryQueue | undefined;
  #publisher: EventPublisher | undefined;
  #worker: DeliveryWorker | undefined;
  #sender: HttpSender | undefined;

  constructor(options: WebhooksServiceOptions) {
    this.#options = options;
    this.config = options.config.webhooks;
    this.views = new WebhookViews({ log: options.log, logger: options.logger });
  }

  get queue(): DeliveryQueue {
    if (this.#queue === undefined) throw new RuntimeError('RUNTIME_NOT_READY', 'the webhooks are not running');
    return this.#queue;
  }

  get worker(): DeliveryWorker | undefined {
    return this.#worker;
  }

  async start(): Promise<void> {
    const { log, logger, config } = this.#options;
    const webhooksTopic = COMMUNICATION_TOPICS.webhooks;
    const topics = [...WEBHOOKS_NEW_TOPICS, { name: webhooksTopic.name, partitions: 1, config: { ...webhooksTopic.config } }];
    await log.createTopics(topics, { ifNotExists: true });
    await waitForTopics(log, topics.map((t) => t.name));
    await this.views.start();
    const backend = queueBackendOf(config);
    if (backend === 'redis' && config.webhooks.queue.url === undefined) {
      throw new RuntimeError('RUNTIME_CONFIG_INVALID', 'webhooks.queue.url is required with webhooks.queue.backend redis', { field: 'webhooks.queue.url' });
    }
    this.#queue = await openDeliveryQueue({ ...this.config, queue: { ...this.config.queue, backend } }, log, logger);
    this.#sender = new HttpSender({ timeoutMs: this.config.timeoutMs, allowPrivateNetworks: this.config.allowPrivateNetworks });
    this.#worker = new DeliveryWorker({ queue: this.#queue, views: this.views, sender: this.#sender, config: this.config, logger, onAttempt: this.#options.onAttempt });
    this.#worker.start();
    this.#publisher = new EventPublisher({ log, queue: this.#queue, views: this.views, logger, communicationAppId: this.#options.communicationAppId });
    await this.#publisher.start();
    logger.info('webhooks.started', { queue: backend, webhooks: this.views.webhooks().length });
  }

  async stop(): Promise<void> {
    await this.#publisher?.stop();
    await this.#worker?.stop();
    await this.#queue?.close();
    this.#sender?.close();
    await this.views.stop();
    this.#publisher = this.#worker = this.#queue = this.#sender = undefined;
  }

  /** Enqueues the events of `range` that `webhookId`'s filter selects (whenever it subscribed). */
  async replayRange(webhookId: string, range: ReplayRange, limit: number): Promise<number> {
    const webhook = this.views.webhook(webhookId);
    if (webhook === undefined) throw new RuntimeError('RUNTIME_NOT_FOUND', `no webhook ${webhookId}`, { field: 'id' });
    const events = (await readEvents(this.#options.log, range, limit)).map((e) => e.event).filter((e) => webhook.events.length === 0 || webhook.events.includes(e.type));
    const jobs: DeliveryJob[] = events.map((e) => ({ eventId: e.id, webhookId, lane: jobLane(webhookId, e.lane), body: e.body, origin: 'replay' }));
    await this.queue.enqueue(jobs);
    return jobs.length;
  }

  /** Enqueues every dead letter of `webhookId` again and removes them from the dead letters. */
  async replayDeadLetters(webhookId: string): Promise<number> {
    if (this.views.webhook(webhookId) === undefined) throw new RuntimeError('RUNTIME_NOT_FOUND', `no webhook ${webhookId}`, { field: 'id' });
    const letters = this.views.deadLetters(webhookId);
    await this.queue.enqueue(letters.map((d) => ({ eventId: d.event_id, webhookId, lane: jobLane(webhookId, d.lane), body: d.body, origin: 'dead-letter-replay' })));
    await this.views.removeDeadLetters(letters);
    return letters.length;
  }
}
