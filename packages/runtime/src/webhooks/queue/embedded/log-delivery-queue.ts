/**
 * The delivery queue on the platform's own log (the default: no Redis needed).
 *
 * - `webhooks.delivery-queue` (one partition): the jobs, appended in order; a job's ref is its offset.
 * - `webhooks.delivery-state` (compacted, keyed by offset): `{attempts, notBefore}` of rescheduled
 *   jobs and `done` markers of completed ones; tombstoned once the watermark passes them.
 *   Completions linger up to `completionLingerMs` and are written as one append (Kafka's
 *   `linger.ms`): with `log.fsync` on, every append of the embedded log is an fdatasync that holds
 *   the event loop, and one append per completed job capped delivery at a few hundred jobs/s. A
 *   crash before a batch is written only hands its jobs out again (at least once).
 * - The committed offset of group `parley-webhooks-queue` is the watermark: every job below it is
 *   finished. It is committed at most every `commitIntervalMs` (a commit rewrites a file on the
 *   embedded log) and on close. A restart reads from the watermark and skips the jobs marked done.
 *
 * Claims wake at once on this process's own enqueue and poll the log every `pollMs` otherwise
 * (another process appending to a shared Kafka log).
 */
import type { Log, TopicPartition } from '@parley/streams';
import { waitForTopics } from '../../topics-ready.js';
import { decodeJob, decodeState, encodeJob, encodeState, type DeliveryJob, type DeliveryQueue, type JobState, type QueuedJob } from '../delivery-queue.js';

export const EMBEDDED_QUEUE_TOPICS = Object.freeze({ jobs: 'webhooks.delivery-queue', state: 'webhooks.delivery-state' });
export const EMBEDDED_QUEUE_GROUP = 'parley-webhooks-queue';

const DONE = 'done';

export interface LogDeliveryQueueOptions {
  log: Log;
  /** How often an idle claim looks for jobs appended by another process, in ms. Default 200. */
  pollMs?: number;
  /** How often the watermark is committed while jobs complete, in ms. Default 1000. */
  commitIntervalMs?: number;
  /** How long a completion waits for others before their `done` markers are appended together, in ms. Default 200. */
  completionLingerMs?: number;
}

export class LogDeliveryQueue implements DeliveryQueue {
  readonly backend = 'embedded' as const;
  readonly #log: Log;
  readonly #pollMs: number;
  readonly #commitIntervalMs: number;
  readonly #completionLingerMs: number;
  #commitTimer: NodeJS.Timeout | undefined;
  readonly #jobs: TopicPartition = { topic: EMBEDDED_QUEUE_TOPICS.jobs, partition: 0 };
  /** offset → state of jobs at or above the watermark that have one (rescheduled or done). */
  readonly #state = new Map<number, JobState | typeof DONE>();
  /** Offsets handed out and not completed. */
  readonly #outstanding = new Set<number>();
  /** Next offset to read. */
  #cursor = 0;
  #watermark = 0;
  #open = false;
  #wake: (() => void) | undefined;
  /** Bumped by each local enqueue and by close(): a claim that read before it reads again instead of waiting. */
  #generation = 0;
  #completions: number[] = [];
  #flush: Promise<void> | undefined;
  /** Ends the linger of the pending completions at once (close). */
  #flushNow: (() => void) | undefined;
  /** State writes and commits run one after the other, so the watermark only moves forward. */
  #serial: Promise<void> = Promise.resolve();

  constructor(options: LogDeliveryQueueOptions) {
    this.#log = options.log;
    this.#pollMs = options.pollMs ?? 200;
    this.#commitIntervalMs = options.commitIntervalMs ?? 1000;
    this.#completionLingerMs = options.completionLingerMs ?? 200;
  }

  async open(): Promise<void> {
    await this.#log.createTopics(
      [
        { name: EMBEDDED_QUEUE_TOPICS.jobs, partitions: 1 },
        { name: EMBEDDED_QUEUE_TOPICS.state, partitions: 1, config: { cleanupPolicy: 'compact' } },
      ],
      { ifNotExists: true },
    );
    await waitForTopics(this.#log, Object.values(EMBEDDED_QUEUE_TOPICS));
    this.#state.clear();
    this.#outstanding.clear();
    const stateTp = { topic: EMBEDDED_QUEUE_TOPICS.state, partition: 0 };
    const end = await this.#log.endOffset(stateTp);
    for (let offset = await this.#log.beginningOffset(stateTp); offset < end; ) {
      const records = await this.#log.read(stateTp, offset, { maxRecords: 5000 });
      if (records.length === 0) break;
      for (const r of records) {
        const key = Number(r.key?.toString('utf8'));
        if (r.value === null) this.#state.delete(key);
        else this.#state.set(key, r.value.toString('utf8') === DONE ? DONE : decodeState(r.value.toString('utf8')));
      }
      offset = records[records.length - 1]!.offset + 1;
    }
    const committed = (await this.#log.committedOffsets(EMBEDDED_QUEUE_GROUP, EMBEDDED_QUEUE_TOPICS.jobs)).find((o) => o.partition === 0);
    this.#cursor = Math.max(committed?.offset ?? 0, await this.#log.beginningOffset(this.#jobs));
    this.#watermark = this.#cursor;
    this.#open = true;
  }

  async close(): Promise<void> {
    this.#open = false;
    this.#generation++;
    this.#wake?.();
    this.#flushNow?.();
    await this.#flush;
    clearTimeout(this.#commitTimer);
    this.#commitTimer = undefined;
    await this.#serially(() => this.#commitWatermark());
  }

  async enqueue(jobs: readonly DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.#log.append(EMBEDDED_QUEUE_TOPICS.jobs, jobs.map((job) => ({ key: Buffer.from(job.lane), value: Buffer.from(encodeJob(job)), partition: 0 })));
    this.#generation++;
    this.#wake?.();
  }

  async claim(max: number, waitMs: number): Promise<QueuedJob[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (!this.#open) return [];
      const generation = this.#generation;
      const claimed = await this.#readMore(max);
      if (claimed.length > 0 || Date.now() >= deadline) return claimed;
      if (generation !== this.#generation) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(this.#pollMs, Math.max(0, deadline - Date.now())));
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
    }
  }

  async complete(job: QueuedJob): Promise<void> {
    const offset = Number(job.ref);
    this.#outstanding.delete(offset);
    this.#completions.push(offset);
    // Completions are written in batches: one append for all those made within the linger.
    this.#flush ??= this.#linger().then(() => this.#serially(() => this.#writeCompletions()));
    await this.#flush;
  }

  async reschedule(job: QueuedJob, attempts: number, notBefore: number): Promise<void> {
    const state = { attempts, notBefore };
    await this.#log.append(EMBEDDED_QUEUE_TOPICS.state, [{ key: Buffer.from(job.ref), value: Buffer.from(encodeState(state)), partition: 0 }]);
    this.#state.set(Number(job.ref), state);
  }

  async #readMore(max: number): Promise<QueuedJob[]> {
    const claimed: QueuedJob[] = [];
    while (claimed.length === 0) {
      const records = await this.#log.read(this.#jobs, this.#cursor, { maxRecords: max });
      if (records.length === 0) break;
      for (const r of records) {
        this.#cursor = r.offset + 1;
        const state = this.#state.get(r.offset);
        if (state === DONE || r.value === null) continue;
        this.#outstanding.add(r.offset);
        claimed.push({ ...decodeJob(r.value.toString('utf8')), ref: String(r.offset), ...(state ?? { attempts: 0, notBefore: 0 }) });
      }
      // A batch of done jobs only: move the watermark past them too.
      if (claimed.length === 0 && this.#outstanding.size === 0) await this.#serially(() => this.#commitWatermark());
    }
    return claimed;
  }

  #linger(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#flushNow = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.#open ? this.#completionLingerMs : 0);
      this.#flushNow = done;
    });
  }

  async #writeCompletions(): Promise<void> {
    const offsets = this.#completions;
    this.#completions = [];
    this.#flush = undefined;
    for (const o of offsets) this.#state.set(o, DONE);
    await this.#log.append(EMBEDDED_QUEUE_TOPICS.state, offsets.map((o) => ({ key: Buffer.from(String(o)), value: Buffer.from(DONE), partition: 0 })));
    this.#commitTimer ??= setTimeout(() => {
      this.#commitTimer = undefined;
      void this.#serially(() => this.#commitWatermark()).catch(() => undefined); // retried at the next one
    }, this.#commitIntervalMs);
  }

  #serially(task: () => Promise<void>): Promise<void> {
    const run = this.#serial.then(task);
    this.#serial = run.catch(() => undefined);
    return run;
  }

  #lowestUnfinished(): number {
    let lowest = this.#cursor;
    for (const o of this.#outstanding) if (o < lowest) lowest = o;
    return lowest;
  }

  async #commitWatermark(): Promise<void> {
    const watermark = this.#lowestUnfinished();
    if (watermark <= this.#watermark) return;
    await this.#log.commitOffsets(EMBEDDED_QUEUE_GROUP, [{ ...this.#jobs, offset: watermark }]);
    this.#watermark = watermark;
    const passed = [...this.#state.keys()].filter((o) => o < watermark);
    for (const o of passed) this.#state.delete(o);
    if (passed.length > 0) await this.#log.append(EMBEDDED_QUEUE_TOPICS.state, passed.map((o) => ({ key: Buffer.from(String(o)), value: null, partition: 0 })));
  }
}
