import type { Log, StreamsApp } from '@parley/streams';
import { RuntimeError } from './errors.js';

/** The first wait after a failed append before the log is tried again, and the longest. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export interface PipelineHealthOptions {
  /** The running applications, by topology name. */
  apps: () => ReadonlyMap<string, { app: StreamsApp }>;
  /** Default Date.now. */
  clock?: () => number;
}

/** What `/health` reports. */
export interface HealthReport {
  healthy: boolean;
  /** Component → state: `log: accepting | refusing`, `app:<name>: running | recovering | error …`. */
  checks: Record<string, string>;
}

/**
 * Whether the pipeline can take writes and process them, from what it sees happen: log appends
 * that fail with a retriable error (a full or failing disk, an unreachable broker) and the
 * applications' states. Used for `/health` and to refuse ingestion early.
 *
 * Writes are refused like a circuit breaker: after an append fails, appends from the API are
 * refused for a backoff (1 s, doubling up to 30 s) with RUNTIME_NOT_READY and a Retry-After;
 * then they are let through again, and the first that succeeds (or any append of the
 * applications) closes it. While an application is in `error`, writes are refused too: nothing
 * would process them until a restart, which `/health` asks for.
 */
export class PipelineHealth {
  readonly #apps: PipelineHealthOptions['apps'];
  readonly #clock: () => number;
  /** Refuse API appends until then (0: accepting). */
  #refuseUntil = 0;
  #backoffMs = FIRST_BACKOFF_MS;
  /** Applications between a retriable failure ('retry') and running again. */
  readonly #recovering = new WeakSet<StreamsApp>();
  readonly #watched = new WeakSet<StreamsApp>();

  constructor(options: PipelineHealthOptions) {
    this.#apps = options.apps;
    this.#clock = options.clock ?? Date.now;
  }

  /** Follows an application's retries, to report it recovering until it runs again. */
  watch(app: StreamsApp): void {
    if (this.#watched.has(app)) return;
    this.#watched.add(app);
    app.on('retry', () => this.#recovering.add(app));
    app.on('state', (state: string) => {
      if (state === 'running' || state === 'closed') this.#recovering.delete(app);
    });
  }

  /** The log with every append observed (for the applications: never refused). */
  observed(log: Log): Log {
    return withAppend(log, (append) => (topic, records) => this.#observe(append(topic, records)));
  }

  /** The log the API writes through: appends observed, and refused while the pipeline cannot take them. */
  guarded(log: Log): Log {
    // async: a refusal is a rejected promise, as the log's own failures are.
    return withAppend(log, (append) => async (topic, records) => {
      this.assertWritable();
      return this.#observe(append(topic, records));
    });
  }

  /** @throws RuntimeError RUNTIME_NOT_READY (with `retryAfterSeconds`) while writes are refused. */
  assertWritable(): void {
    const now = this.#clock();
    if (now < this.#refuseUntil) {
      const retryAfterSeconds = Math.max(1, Math.ceil((this.#refuseUntil - now) / 1000));
      throw new RuntimeError('RUNTIME_NOT_READY', 'the platform cannot store writes right now (its log refuses appends); send it again later', { retryAfterSeconds });
    }
    const failed = [...this.#apps()].filter(([, { app }]) => app.state === 'error').map(([name]) => name);
    if (failed.length > 0) {
      throw new RuntimeError('RUNTIME_NOT_READY', `the platform cannot process writes right now (${failed.join(', ')} stopped); send it again later`, { retryAfterSeconds: 30 });
    }
  }

  report(): HealthReport {
    // Refusing only for the backoff: without traffic to try the log again, a fault that has
    // cleared must not keep the platform unhealthy (and restarted by a liveness probe).
    const checks: Record<string, string> = { log: this.#clock() < this.#refuseUntil ? 'refusing' : 'accepting' };
    for (const [name, { app }] of this.#apps()) checks[`app:${name}`] = this.#recovering.has(app) && app.state !== 'error' ? 'recovering' : app.state;
    const healthy = Object.values(checks).every((s) => s === 'accepting' || s === 'running');
    return { healthy, checks };
  }

  async #observe<T>(appended: Promise<T>): Promise<T> {
    try {
      const result = await appended;
      this.#refuseUntil = 0;
      this.#backoffMs = FIRST_BACKOFF_MS;
      return result;
    } catch (err) {
      if ((err as { retriable?: unknown })?.retriable === true) {
        this.#refuseUntil = this.#clock() + this.#backoffMs;
        this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS);
      }
      throw err;
    }
  }
}

/**
 * `log` with its `append` replaced; every other member is the log's own, bound to it (the
 * backends keep private fields, which a Proxy receiver would not have).
 */
export function withAppend(log: Log, wrap: (append: Log['append']) => Log['append']): Log {
  const append = wrap(log.append.bind(log));
  return new Proxy(log, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
