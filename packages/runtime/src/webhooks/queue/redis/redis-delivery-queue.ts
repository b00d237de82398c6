/**
 * The delivery queue on Redis (ioredis; the only folder that imports it), shared by every
 * runtime instance that names the same Redis and key prefix.
 *
 * - `<prefix>jobs`: a stream; each job is one entry (field `j`), its ref the entry id.
 * - consumer group `delivery`: an entry read by a consumer stays in that consumer's pending list
 *   until XACK, so a job survives the crash of the process delivering it; on open the consumer
 *   first reads its own pending entries again (id `0`), then new ones (`>`); so it does after
 *   each reconnect (a read whose reply was lost leaves its entries pending, never handed out).
 * - `<prefix>state`: a hash entry id → `{attempts, notBefore}` of rescheduled jobs.
 *
 * `complete` acknowledges and deletes the entry and its state in one MULTI, shared by the
 * completions made in the same turn of the event loop (one round trip for all). Every command waits
 * through a Redis restart (ioredis reconnects and resends); with Redis persistence on (AOF)
 * nothing acknowledged as enqueued is lost.
 */
import { Redis } from 'ioredis';
import { decodeJob, decodeState, encodeJob, encodeState, type DeliveryJob, type DeliveryQueue, type QueuedJob } from '../delivery-queue.js';

export const REDIS_QUEUE_GROUP = 'delivery';

export interface RedisDeliveryQueueOptions {
  /** `redis://host:port/db`. */
  url: string;
  /** Prefix of every key. Default `parley:webhooks:`. */
  keyPrefix?: string;
  /**
   * This instance's consumer name in the group: its pending jobs are found again under it after
   * a restart, so keep it stable per instance and distinct between instances. Default `parley`.
   */
  consumer?: string;
  /** Told of connection errors (ioredis reconnects by itself). Default: ignored. */
  onConnectionError?: (err: Error) => void;
}

type StreamEntry = [id: string, fields: string[] | null];
type StreamReply = [key: string, entries: StreamEntry[]][] | null;

export class RedisDeliveryQueue implements DeliveryQueue {
  readonly backend = 'redis' as const;
  readonly #options: Required<Omit<RedisDeliveryQueueOptions, 'onConnectionError'>> & Pick<RedisDeliveryQueueOptions, 'onConnectionError'>;
  readonly #jobsKey: string;
  readonly #stateKey: string;
  #redis: Redis | undefined;
  /** Blocking reads get a connection of their own, so they never delay other commands. */
  #blocking: Redis | undefined;
  /** Where the re-read of this consumer's pending entries stands; undefined once done. */
  #pendingCursor: string | undefined = '0';
  /** Entries handed out by this object (a pending re-read must not hand them out twice). */
  readonly #handedOut = new Set<string>();
  #open = false;
  /** Completions waiting for the next MULTI. */
  #completions: QueuedJob[] = [];
  #completing: Promise<void> | undefined;

  constructor(options: RedisDeliveryQueueOptions) {
    this.#options = { keyPrefix: 'parley:webhooks:', consumer: 'parley', ...options };
    this.#jobsKey = `${this.#options.keyPrefix}jobs`;
    this.#stateKey = `${this.#options.keyPrefix}state`;
  }

  async open(): Promise<void> {
    // No retry limit per command: a command waits through a Redis restart instead of failing.
    const connect = (): Redis => {
      const redis = new Redis(this.#options.url, { maxRetriesPerRequest: null, lazyConnect: true });
      redis.on('error', (err: Error) => this.#options.onConnectionError?.(err));
      return redis;
    };
    this.#redis = connect();
    this.#blocking = connect();
    await Promise.all([this.#redis.connect(), this.#blocking.connect()]);
    // A read whose reply was lost in a disconnect left its entries pending under this consumer
    // without handing them out: after each reconnect, read the pending entries again first.
    for (const c of [this.#redis, this.#blocking]) c.on('ready', () => (this.#pendingCursor = '0'));
    try {
      await this.#redis.xgroup('CREATE', this.#jobsKey, REDIS_QUEUE_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.#pendingCursor = '0';
    this.#handedOut.clear();
    this.#open = true;
  }

  async close(): Promise<void> {
    this.#open = false;
    const connections = [this.#redis, this.#blocking];
    this.#redis = this.#blocking = undefined;
    // disconnect() also ends a blocked XREADGROUP at once.
    for (const c of connections) c?.disconnect();
  }

  async enqueue(jobs: readonly DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const pipeline = this.#client().multi();
    for (const job of jobs) pipeline.xadd(this.#jobsKey, '*', 'j', encodeJob(job));
    throwFirstError(await pipeline.exec());
  }

  async claim(max: number, waitMs: number): Promise<QueuedJob[]> {
    if (!this.#open) return [];
    while (this.#pendingCursor !== undefined) {
      const reply = (await this.#client().xreadgroup('GROUP', REDIS_QUEUE_GROUP, this.#options.consumer, 'COUNT', max, 'STREAMS', this.#jobsKey, this.#pendingCursor)) as StreamReply;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) {
        this.#pendingCursor = undefined;
        break;
      }
      this.#pendingCursor = entries[entries.length - 1]![0];
      const jobs = await this.#toJobs(entries.filter(([id]) => !this.#handedOut.has(id)));
      if (jobs.length > 0) return jobs;
    }
    const blocking = this.#blocking;
    if (blocking === undefined) return [];
    let reply: StreamReply;
    try {
      reply = (await blocking.xreadgroup('GROUP', REDIS_QUEUE_GROUP, this.#options.consumer, 'COUNT', max, 'BLOCK', Math.max(1, waitMs), 'STREAMS', this.#jobsKey, '>')) as StreamReply;
    } catch (err) {
      if (!this.#open) return []; // closed while blocked
      throw err;
    }
    return this.#toJobs(reply?.[0]?.[1] ?? []);
  }

  async complete(job: QueuedJob): Promise<void> {
    this.#completions.push(job);
    this.#completing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#writeCompletions());
    await this.#completing;
  }

  async #writeCompletions(): Promise<void> {
    const refs = this.#completions.map((j) => j.ref);
    this.#completions = [];
    this.#completing = undefined;
    const results = await this.#client().multi().xack(this.#jobsKey, REDIS_QUEUE_GROUP, ...refs).xdel(this.#jobsKey, ...refs).hdel(this.#stateKey, ...refs).exec();
    throwFirstError(results);
    for (const ref of refs) this.#handedOut.delete(ref);
  }

  async reschedule(job: QueuedJob, attempts: number, notBefore: number): Promise<void> {
    await this.#client().hset(this.#stateKey, job.ref, encodeState({ attempts, notBefore }));
  }

  async #toJobs(entries: StreamEntry[]): Promise<QueuedJob[]> {
    // An entry completed by an earlier run but still pending (crash between XACK and XDEL) has no fields.
    const live = entries.filter((e): e is [string, string[]] => e[1] !== null && e[1].length >= 2);
    const dead = entries.filter((e) => e[1] === null || e[1].length < 2).map(([id]) => id);
    if (dead.length > 0) await this.#client().xack(this.#jobsKey, REDIS_QUEUE_GROUP, ...dead);
    if (live.length === 0) return [];
    const states = await this.#client().hmget(this.#stateKey, ...live.map(([id]) => id));
    return live.map(([id, fields], i) => {
      this.#handedOut.add(id);
      return { ...decodeJob(fields[1]!), ref: id, ...decodeState(states[i]) };
    });
  }

  #client(): Redis {
    if (this.#redis === undefined) throw new Error('the Redis delivery queue is not open');
    return this.#redis;
  }
}

function throwFirstError(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new Error('the Redis transaction was discarded');
  for (const [err] of results) if (err !== null) throw err;
}
