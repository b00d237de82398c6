/**
 * The delivery queue: where webhook deliveries wait until their endpoint has taken them. One
 * interface, two backends, one conformance suite (test/webhooks/queue-conformance.ts):
 *
 * - `embedded` (default): two topics of the platform's own log (embedded/);
 * - `redis`: a Redis stream with a consumer group, shared by every runtime instance (redis/).
 *
 * Contract: a job enqueued (promise resolved) is durable; it is handed out by `claim` until
 * `complete` is called for it — after a crash or restart, every job not completed is handed out
 * again, in enqueue order, with the attempts and next-attempt time last given to `reschedule`.
 * So delivery is at least once; ordering and retries are the worker's (delivery-worker.ts).
 */
import { frameBody, unframeBody } from '../framed-body.js';

/** A delivery to enqueue: one event for one webhook. */
export interface DeliveryJob {
  /** The event's id: the `webhook-id` header, the same for every attempt and every replay. */
  eventId: string;
  webhookId: string;
  /** Jobs of one lane (webhook + conversation or entity) are delivered one after the other, in order. */
  lane: string;
  /** The JSON body sent, exactly as signed. */
  body: string;
  /** Why the job exists: `event` (live), `replay` or `dead-letter-replay`. */
  origin: DeliveryOrigin;
}

export type DeliveryOrigin = 'event' | 'replay' | 'dead-letter-replay';

/** A job handed out by `claim`. */
export interface QueuedJob extends DeliveryJob {
  /** The backend's handle of this job (stream entry id, log offset). Opaque. */
  readonly ref: string;
  /** Attempts already made (0 for a new job). */
  attempts: number;
  /** Earliest time of the next attempt, ms since the epoch (0: now). */
  notBefore: number;
}

export type DeliveryQueueBackend = 'embedded' | 'redis';

export interface DeliveryQueue {
  readonly backend: DeliveryQueueBackend;
  open(): Promise<void>;
  /** Stops handing out jobs; jobs claimed but not completed are handed out again after the next open. */
  close(): Promise<void>;
  /** Appends jobs in order; resolves once they are durable. */
  enqueue(jobs: readonly DeliveryJob[]): Promise<void>;
  /**
   * Up to `max` jobs this queue object has not handed out yet: first the jobs an earlier run left
   * unfinished, then new ones, each in enqueue order. Waits up to `waitMs` when there is none
   * (resolves with [] then, or at once after close()).
   */
  claim(max: number, waitMs: number): Promise<QueuedJob[]>;
  /** The job is finished (delivered, dead-lettered or dropped): it is never handed out again. */
  complete(job: QueuedJob): Promise<void>;
  /** Records the attempts made and the next attempt's time, so a restart resumes the schedule. */
  reschedule(job: QueuedJob, attempts: number, notBefore: number): Promise<void>;
}

/** What a backend stores per job besides its body. */
export interface JobState {
  attempts: number;
  notBefore: number;
}

interface JobFields {
  e: string;
  w: string;
  l: string;
  o: DeliveryOrigin;
}

/** The stored form of a job (both backends): its fields as compact JSON, a newline, the body as it is (framed-body.ts). */
export function encodeJob(job: DeliveryJob): string {
  return frameBody({ e: job.eventId, w: job.webhookId, l: job.lane, o: job.origin } satisfies JobFields, job.body);
}

/** Reads both stored forms: framed, and the earlier single JSON object (body in `b`). */
export function decodeJob(text: string): DeliveryJob {
  const framed = unframeBody<JobFields>(text);
  if (framed !== undefined) return { eventId: framed.fields.e, webhookId: framed.fields.w, lane: framed.fields.l, body: framed.body, origin: framed.fields.o };
  const raw = JSON.parse(text) as JobFields & { b: string };
  return { eventId: raw.e, webhookId: raw.w, lane: raw.l, body: raw.b, origin: raw.o };
}

export function encodeState(state: JobState): string {
  return JSON.stringify({ a: state.attempts, n: state.notBefore });
}

export function decodeState(text: string | null | undefined): JobState {
  if (text === null || text === undefined) return { attempts: 0, notBefore: 0 };
  const raw = JSON.parse(text) as { a: number; n: number };
  return { attempts: raw.a, notBefore: raw.n };
}
