/**
 * The delivery worker: takes jobs from the queue and POSTs them.
 *
 * - **Order without head-of-line blocking.** Jobs are grouped in lanes (webhook + conversation or
 *   entity): a lane has at most one attempt in flight and its next job waits until the head is
 *   finished, while every other lane keeps flowing. A head waiting for its retry holds only its lane.
 * - **Bounded concurrency:** at most `concurrency` attempts in flight per webhook; at most
 *   `maxBuffered` jobs held in memory (claiming pauses beyond).
 * - **Outcomes:** 2xx completes the job; 410 disables the webhook (status UNSUBSCRIBED with a
 *   `disabledReason`) and dead-letters the job; anything else is retried on the schedule
 *   (retry-schedule.ts; `Retry-After` honoured on 429/503), and after the last attempt the job goes
 *   to the dead letters. Jobs of a disabled webhook go to the dead letters too (replayable); jobs of
 *   an unsubscribed or deleted one are dropped (recorded as `skipped`).
 * - Every attempt is recorded on `webhooks.attempts` (the records of 200 ms are appended together,
 *   the newest 200 per webhook of them: what `webhooks.deliveries` can list); the attempt count and
 *   next time are saved in the queue, so a restart resumes the schedule.
 */
import type { Webhook } from '@parley/schemas';
import type { Logger } from '../logger.js';
import type { AttemptOutcome, AttemptRecord } from './delivery-records.js';
import { isReservedHeader, type HttpSender } from './http-sender.js';
import type { DeliveryQueue, QueuedJob } from './queue/delivery-queue.js';
import { parseRetryAfter, retryDelayMs } from './retry-schedule.js';
import { activeSecrets, signatureHeaders } from './signing.js';
import type { WebhookViews } from './webhook-views.js';
import type { WebhooksConfig } from './webhooks-config.js';

export const DISABLED_BY_410 = 'the endpoint answered 410 Gone';

/** How long an attempt waits for this instance's view of the subscriptions to catch up, ms. */
const VIEW_CATCH_UP_MS = 5000;

/**
 * How long an attempt record waits for others before they are appended together, ms. With
 * `log.fsync` on, each append of the embedded log is an fdatasync holding the event loop.
 */
const RECORDS_LINGER_MS = 200;

/** Claim only when this many jobs fit in the buffer. */
const CLAIM_BATCH = 500;

export interface DeliveryWorkerOptions {
  queue: DeliveryQueue;
  views: WebhookViews;
  sender: HttpSender;
  config: Pick<WebhooksConfig, 'concurrency' | 'retrySchedule'>;
  logger: Logger;
  /** Jobs held in memory at most. Default 10000. */
  maxBuffered?: number;
  /** Told each attempt's outcome as it is recorded (the metrics). */
  onAttempt?: (outcome: AttemptOutcome) => void;
}

type Finished = 'complete' | 'retry';

export class DeliveryWorker {
  readonly #o: DeliveryWorkerOptions;
  readonly #maxBuffered: number;
  /** lane → its jobs in order; the head is the one being (or next to be) attempted. */
  readonly #lanes = new Map<string, QueuedJob[]>();
  /** Lanes whose head is due and not in flight, per webhook (insertion order: oldest first). */
  readonly #ready = new Map<string, Set<string>>();
  /** Lanes whose head waits for its retry time → that time. */
  readonly #delayed = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();
  readonly #attempts = new Set<Promise<void>>();
  /** Completions being written (off the delivery path; stop() waits for them). */
  readonly #persisting = new Set<Promise<void>>();
  #buffered = 0;
  #running = false;
  #loop: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerDue = Infinity;
  #roomFreed: (() => void) | undefined;
  #records: AttemptRecord[] = [];
  #recordFlush: Promise<void> | undefined;

  constructor(options: DeliveryWorkerOptions) {
    this.#o = options;
    this.#maxBuffered = options.maxBuffered ?? 10_000;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#claimLoop();
  }

  /** Stops claiming and waits for the attempts in flight; what is left is handed out again after the next start. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#roomFreed?.();
    clearTimeout(this.#timer);
    await this.#loop;
    await Promise.all([...this.#attempts]);
    await Promise.all([...this.#persisting]);
    await this.#recordFlush;
  }

  /** Jobs held in memory (claimed, not finished). */
  get buffered(): number {
    return this.#buffered;
  }

  async #claimLoop(): Promise<void> {
    while (this.#running) {
      const room = this.#maxBuffered - this.#buffered;
      // Claim in batches: a claim of one job per freed slot would cost a log read per job.
      if (room < Math.min(CLAIM_BATCH, this.#maxBuffered)) {
        await new Promise<void>((resolve) => (this.#roomFreed = resolve));
        this.#roomFreed = undefined;
        continue;
      }
      let jobs: QueuedJob[];
      try {
        jobs = await this.#o.queue.claim(Math.min(room, 1000), 500);
      } catch (err) {
        if (!this.#running) break;
        this.#o.logger.error('webhooks.queue.claim_failed', { err });
        await new Promise((resolve) => setTimeout(resolve, 1000)); // back off while the queue is unreachable
        continue;
      }
      for (const job of jobs) this.#add(job);
      this.#pumpAll();
    }
  }

  #add(job: QueuedJob): void {
    this.#buffered++;
    const jobs = this.#lanes.get(job.lane);
    if (jobs !== undefined) {
      jobs.push(job);
      return;
    }
    this.#lanes.set(job.lane, [job]);
    this.#schedule(job.lane, job);
  }

  /** Puts an idle lane whose head is `head` in the ready set or the delayed map. */
  #schedule(lane: string, head: QueuedJob): void {
    if (head.notBefore > Date.now()) {
      this.#delayed.set(lane, head.notBefore);
      this.#armTimer(head.notBefore);
      return;
    }
    let ready = this.#ready.get(head.webhookId);
    if (ready === undefined) this.#ready.set(head.webhookId, (ready = new Set()));
    ready.add(lane);
  }

  #armTimer(due: number): void {
    if (!this.#running || due >= this.#timerDue) return;
    clearTimeout(this.#timer);
    this.#timerDue = due;
    this.#timer = setTimeout(() => this.#wakeDelayed(), Math.max(0, due - Date.now()));
  }

  #wakeDelayed(): void {
    this.#timerDue = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [lane, due] of this.#delayed) {
      if (due > now) {
        next = Math.min(next, due);
        continue;
      }
      this.#delayed.delete(lane);
      const head = this.#lanes.get(lane)?.[0];
      if (head !== undefined) this.#schedule(lane, head);
    }
    if (next !== Infinity) this.#armTimer(next);
    this.#pumpAll();
  }

  #pumpAll(): void {
    for (const webhookId of this.#ready.keys()) this.#pump(webhookId);
  }

  #pump(webhookId: string): void {
    const ready = this.#ready.get(webhookId);
    if (ready === undefined) return;
    for (const lane of ready) {
      if (!this.#running) return;
      const inFlight = this.#inFlight.get(webhookId) ?? 0;
      if (inFlight >= this.#o.config.concurrency) return;
      ready.delete(lane);
      const head = this.#lanes.get(lane)![0]!;
      this.#inFlight.set(webhookId, inFlight + 1);
      const attempt = this.#attempt(head)
        .catch((err) => {
          // Could not persist the outcome: keep the job at the head and try it again later.
          this.#o.logger.error('webhooks.delivery.failed', { webhookId, eventId: head.eventId, err });
          head.notBefore = Date.now() + 1000;
          return 'retry' as const;
        })
        .then((finished) => this.#finished(lane, head, finished));
      this.#attempts.add(attempt);
      void attempt.finally(() => this.#attempts.delete(attempt));
    }
    if (ready.size === 0) this.#ready.delete(webhookId);
  }

  #finished(lane: string, job: QueuedJob, finished: Finished): void {
    this.#inFlight.set(job.webhookId, (this.#inFlight.get(job.webhookId) ?? 1) - 1);
    const jobs = this.#lanes.get(lane)!;
    if (finished === 'complete') {
      jobs.shift();
      this.#buffered--;
      this.#roomFreed?.();
    }
    if (jobs.length === 0) this.#lanes.delete(lane);
    else this.#schedule(lane, jobs[0]!);
    this.#pump(job.webhookId);
  }

  async #attempt(job: QueuedJob): Promise<Finished> {
    let webhook = this.#o.views.webhook(job.webhookId);
    if (webhook?.status !== 'SUBSCRIBED') {
      // The job was enqueued for a subscribed webhook, maybe by another instance whose subscribe
      // this view has not applied yet: decide on a caught-up view, never on a lagging one.
      if (!(await this.#o.views.subscriptionsApplied(VIEW_CATCH_UP_MS))) {
        job.notBefore = Date.now() + VIEW_CATCH_UP_MS;
        return 'retry';
      }
      webhook = this.#o.views.webhook(job.webhookId);
    }
    const startedAt = Date.now();
    const number = job.attempts + 1;
    if (webhook === undefined || webhook.status !== 'SUBSCRIBED') {
      if (webhook?.disabledReason) {
        const reason = `the webhook is disabled: ${webhook.disabledReason}`;
        this.#record(job, number, 'dead', null, 0, reason, startedAt, null);
        this.#finish(job, { attempts: job.attempts, error: reason });
      } else {
        this.#record(job, number, 'skipped', null, 0, 'the webhook is unsubscribed', startedAt, null);
        this.#finish(job);
      }
      return 'complete';
    }
    // Signed and sent as the same bytes.
    const body = Buffer.from(job.body);
    const headers = { ...customHeaders(webhook), ...signatureHeaders(job.eventId, body, activeSecrets(webhook, startedAt), startedAt) };
    const result = await this.#o.sender.send(webhook.endpoint, body, headers);
    const { status } = result;
    if (status !== null && status >= 200 && status < 300) {
      this.#record(job, number, 'delivered', status, result.latencyMs, null, startedAt, null);
      this.#finish(job);
      return 'complete';
    }
    const error = result.error ?? `HTTP ${status}`;
    if (status === 410) {
      await this.#o.views.putWebhook({ ...webhook, status: 'UNSUBSCRIBED', disabledReason: DISABLED_BY_410 });
      this.#o.logger.warn('webhooks.disabled', { webhookId: webhook.id, reason: DISABLED_BY_410 });
      this.#record(job, number, 'disabled', status, result.latencyMs, error, startedAt, null);
      this.#finish(job, { attempts: number, error });
      return 'complete';
    }
    let delay = retryDelayMs(number, this.#o.config.retrySchedule);
    const retryAfter = status === 429 || status === 503 ? parseRetryAfter(result.retryAfter, Date.now()) : undefined;
    if (delay !== undefined && retryAfter !== undefined) delay = retryAfter;
    if (delay === undefined) {
      this.#record(job, number, 'dead', status, result.latencyMs, error, startedAt, null);
      this.#finish(job, { attempts: number, error });
      return 'complete';
    }
    const notBefore = Date.now() + delay;
    this.#record(job, number, 'retrying', status, result.latencyMs, error, startedAt, notBefore);
    await this.#o.queue.reschedule(job, number, notBefore);
    job.attempts = number;
    job.notBefore = notBefore;
    return 'retry';
  }

  /**
   * Writes a finished job's outcome off the delivery path: its dead letter first (when it has
   * one), then its completion. The lane's next job need not wait for these writes: a crash before
   * they land hands the job out again (at least once), still ahead of its lane's later jobs.
   */
  #finish(job: QueuedJob, deadLetter?: { attempts: number; error: string }): void {
    const write = (async () => {
      try {
        if (deadLetter !== undefined) await this.#deadLetter(job, deadLetter.attempts, deadLetter.error);
        await this.#o.queue.complete(job);
      } catch (err) {
        this.#o.logger.error('webhooks.completion_not_saved', { webhookId: job.webhookId, eventId: job.eventId, err });
      }
    })();
    this.#persisting.add(write);
    void write.finally(() => this.#persisting.delete(write));
  }

  async #deadLetter(job: QueuedJob, attempts: number, error: string): Promise<void> {
    const lane = job.lane.slice(job.lane.indexOf(' ') + 1);
    await this.#o.views.putDeadLetter({ webhook_id: job.webhookId, event_id: job.eventId, lane, body: job.body, attempts, last_error: error, dead_at: new Date().toISOString() });
  }

  #record(job: QueuedJob, attempt: number, outcome: AttemptOutcome, status: number | null, latencyMs: number, error: string | null, at: number, next: number | null): void {
    this.#o.onAttempt?.(outcome);
    this.#records.push({
      webhook_id: job.webhookId,
      event_id: job.eventId,
      attempt,
      outcome,
      status,
      latency_ms: latencyMs,
      error,
      at: new Date(at).toISOString(),
      next_attempt_at: next === null ? null : new Date(next).toISOString(),
    });
    // Attempt records are written in batches, off the delivery path.
    this.#recordFlush ??= new Promise<void>((resolve) => setTimeout(resolve, this.#running ? RECORDS_LINGER_MS : 0)).then(async () => {
      const records = this.#records;
      this.#records = [];
      this.#recordFlush = undefined;
      try {
        await this.#o.views.recordAttempts(records);
      } catch (err) {
        this.#o.logger.warn('webhooks.attempts.not_recorded', { count: records.length, err });
      }
    });
  }
}

/** A webhook's custom headers without the reserved ones, per webhook record (a change makes a new record). */
const customHeadersOf = new WeakMap<Webhook, Record<string, string>>();

function customHeaders(webhook: Webhook): Record<string, string> {
  let headers = customHeadersOf.get(webhook);
  if (headers === undefined) {
    headers = Object.fromEntries(Object.entries(webhook.headers ?? {}).filter(([name]) => !isReservedHeader(name)));
    customHeadersOf.set(webhook, headers);
  }
  return headers;
}
