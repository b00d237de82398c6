/**
 * This process's view of the webhooks: the subscriptions (`application.communication.webhooks`),
 * the recent attempts per webhook (`webhooks.attempts`) and the dead letters
 * (`webhooks.dead-letters`). One consumer in a group of its own follows the three topics from
 * their beginning, so every runtime instance sees every change; `start` resolves once it has read
 * up to the ends it saw when starting. Writes through `putWebhook` are applied at once as well
 * (read-your-writes), and a record never overwrites a newer one of the same key.
 */
import { COMMUNICATION_TOPICS, type Webhook } from '@parley/schemas';
import type { Log, LogConsumer, LogRecord, RecordBatch } from '@parley/streams';
import type { Logger } from '../logger.js';
import { followTopicsFromStart } from '../log-view-consumer.js';
import type { AttemptRecord, DeadLetterRecord } from './delivery-records.js';
import { deadLetterKey } from './delivery-records.js';
import { webhookSerde } from './webhook-serde.js';
import { WEBHOOKS_TOPICS } from './webhooks-topics.js';

/** The topics the views follow. */
const VIEW_TOPICS = [COMMUNICATION_TOPICS.webhooks.name, WEBHOOKS_TOPICS.attempts, WEBHOOKS_TOPICS.deadLetters];

/** Attempts kept per webhook for `webhooks.deliveries`. */
export const RECENT_ATTEMPTS = 200;

export class WebhookViews {
  readonly #log: Log;
  readonly #logger: Logger;
  readonly #serde = webhookSerde();
  readonly #webhooks = new Map<string, { webhook: Webhook; offset: number }>();
  readonly #attempts = new Map<string, AttemptRecord[]>();
  readonly #deadLetters = new Map<string, DeadLetterRecord>();
  #consumer: LogConsumer | undefined;
  /** `<topic>/<partition>` → the next offset to apply (what the consumer has applied). */
  readonly #applied = new Map<string, number>();
  /** Called after each applied batch (subscriptionsApplied waits on them). */
  readonly #onApplied = new Set<() => void>();
  /** Listeners called on each change of a webhook (the worker wakes its jobs). */
  readonly #onWebhook = new Set<(webhook: Webhook) => void>();

  constructor(options: { log: Log; logger: Logger }) {
    this.#log = options.log;
    this.#logger = options.logger;
  }

  async start(): Promise<void> {
    this.#consumer = await followTopicsFromStart({
      log: this.#log,
      logger: this.#logger,
      topics: VIEW_TOPICS,
      groupPrefix: 'parley-webhooks-views',
      failureEvent: 'webhooks.views.failed',
      onBatch: (batch) => this.#apply(batch),
    });
  }

  async stop(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.stop();
  }

  onWebhookChange(listener: (webhook: Webhook) => void): () => void {
    this.#onWebhook.add(listener);
    return () => this.#onWebhook.delete(listener);
  }

  webhook(id: string): Webhook | undefined {
    return this.#webhooks.get(id)?.webhook;
  }

  webhooks(): Webhook[] {
    return [...this.#webhooks.values()].map((e) => e.webhook).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Newest first, at most RECENT_ATTEMPTS. */
  attempts(webhookId: string): AttemptRecord[] {
    return (this.#attempts.get(webhookId) ?? []).slice(-RECENT_ATTEMPTS).reverse();
  }

  deadLetters(webhookId: string): DeadLetterRecord[] {
    return [...this.#deadLetters.values()].filter((d) => d.webhook_id === webhookId);
  }

  /** Appends the whole record and applies it here at once. */
  async putWebhook(webhook: Webhook): Promise<void> {
    const [meta] = await this.#log.append(COMMUNICATION_TOPICS.webhooks.name, [{ key: Buffer.from(webhook.id), value: Buffer.from(this.#serde.serialize(webhook, COMMUNICATION_TOPICS.webhooks.name)) }]);
    this.#setWebhook(webhook, meta!.offset);
  }

  /**
   * Appends attempt records (keyed by webhook). Of those given together, only the newest
   * RECENT_ATTEMPTS per webhook are written: the older ones would never be listed.
   */
  async recordAttempts(given: readonly AttemptRecord[]): Promise<void> {
    const beyond = beyondRecent(given, (r) => r.webhook_id);
    const records = beyond === undefined ? given : given.filter((_, i) => !beyond[i]);
    if (records.length === 0) return;
    await this.#log.append(WEBHOOKS_TOPICS.attempts, records.map((r) => ({ key: Buffer.from(r.webhook_id), value: Buffer.from(JSON.stringify(r)) })));
  }

  async putDeadLetter(record: DeadLetterRecord): Promise<void> {
    const key = deadLetterKey(record.webhook_id, record.event_id);
    await this.#log.append(WEBHOOKS_TOPICS.deadLetters, [{ key: Buffer.from(key), value: Buffer.from(JSON.stringify(record)) }]);
    this.#deadLetters.set(key, record);
  }

  /** Removes dead letters (they were enqueued again). */
  async removeDeadLetters(records: readonly DeadLetterRecord[]): Promise<void> {
    if (records.length === 0) return;
    const keys = records.map((r) => deadLetterKey(r.webhook_id, r.event_id));
    await this.#log.append(WEBHOOKS_TOPICS.deadLetters, keys.map((k) => ({ key: Buffer.from(k), value: null })));
    for (const k of keys) this.#deadLetters.delete(k);
  }

  #apply(batch: RecordBatch): void {
    const beyond = batch.topic === WEBHOOKS_TOPICS.attempts ? beyondRecent(batch.records, (r) => r.key?.toString('utf8') ?? '') : undefined;
    for (let i = 0; i < batch.records.length; i++) {
      if (beyond?.[i] === true) continue; // not among the RECENT_ATTEMPTS kept: not even parsed
      const record = batch.records[i]!;
      try {
        this.#applyRecord(record);
      } catch (err) {
        this.#logger.warn('webhooks.views.skipped', { topic: record.topic, partition: record.partition, offset: record.offset, err });
      }
    }
    const last = batch.records.at(-1);
    if (last !== undefined) this.#applied.set(`${batch.topic}/${batch.partition}`, last.offset + 1);
    for (const wake of [...this.#onApplied]) wake();
  }

  /**
   * Resolves true once every subscription change appended so far (by any runtime instance) is
   * applied here, false after `timeoutMs`. The publisher asks before matching events to
   * subscriptions: an event logged after a subscription, on another instance, must find it.
   */
  subscriptionsApplied(timeoutMs: number): Promise<boolean> {
    return this.#appliedUpToEnds([COMMUNICATION_TOPICS.webhooks.name], timeoutMs);
  }

  /**
   * Resolves true once everything appended so far to the three topics (by any runtime instance)
   * is applied here, false after `timeoutMs`: the API reads after it, so a webhook subscribed, or
   * an attempt made, on another instance is seen on this one too.
   */
  allApplied(timeoutMs: number): Promise<boolean> {
    return this.#appliedUpToEnds(VIEW_TOPICS, timeoutMs);
  }

  async #appliedUpToEnds(topics: readonly string[], timeoutMs: number): Promise<boolean> {
    const ends: { key: string; end: number }[] = [];
    for (const topic of topics) {
      const { partitions } = await this.#log.describeTopic(topic);
      const offsets = await Promise.all(Array.from({ length: partitions }, (_, partition) => this.#log.endOffset({ topic, partition })));
      offsets.forEach((end, partition) => ends.push({ key: `${topic}/${partition}`, end }));
    }
    const done = () => ends.every(({ key, end }) => (this.#applied.get(key) ?? 0) >= end);
    if (done()) return true;
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.#onApplied.delete(check);
        resolve(value);
      };
      const check = () => {
        if (done()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.#onApplied.add(check);
    });
  }

  #applyRecord(record: LogRecord): void {
    const key = record.key?.toString('utf8') ?? '';
    if (record.topic === COMMUNICATION_TOPICS.webhooks.name) {
      if (record.value === null) {
        this.#webhooks.delete(key);
        return;
      }
      this.#setWebhook(this.#serde.deserialize(record.value, record.topic), record.offset);
    } else if (record.topic === WEBHOOKS_TOPICS.attempts) {
      if (record.value === null) return;
      const attempt = JSON.parse(record.value.toString('utf8')) as AttemptRecord;
      let list = this.#attempts.get(attempt.webhook_id);
      if (list === undefined) this.#attempts.set(attempt.webhook_id, (list = []));
      list.push(attempt);
      // Trimmed now and then rather than on every record (attempts() reads the newest RECENT_ATTEMPTS).
      if (list.length >= 2 * RECENT_ATTEMPTS) list.splice(0, list.length - RECENT_ATTEMPTS);
    } else if (record.topic === WEBHOOKS_TOPICS.deadLetters) {
      if (record.value === null) this.#deadLetters.delete(key);
      else this.#deadLetters.set(key, JSON.parse(record.value.toString('utf8')) as DeadLetterRecord);
    }
  }

  #setWebhook(webhook: Webhook, offset: number): void {
    const known = this.#webhooks.get(webhook.id);
    if (known !== undefined && known.offset > offset) return; // an older record read after a newer write
    this.#webhooks.set(webhook.id, { webhook, offset });
    for (const listener of this.#onWebhook) listener(webhook);
  }
}

/**
 * Marks the items that a later item of the same webhook pushes out of the RECENT_ATTEMPTS kept
 * per webhook (undefined when none can be). With thousands of deliveries per batch, most of them.
 */
export function beyondRecent<T>(items: readonly T[], webhookOf: (item: T) => string): boolean[] | undefined {
  if (items.length <= RECENT_ATTEMPTS) return undefined;
  const later = new Map<string, number>();
  const beyond = new Array<boolean>(items.length).fill(false);
  for (let i = items.length - 1; i >= 0; i--) {
    const webhook = webhookOf(items[i]!);
    const seen = later.get(webhook) ?? 0;
    beyond[i] = seen >= RECENT_ATTEMPTS;
    later.set(webhook, seen + 1);
  }
  return beyond;
}
