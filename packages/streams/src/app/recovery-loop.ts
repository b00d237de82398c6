import { isStreamsError } from '../errors.js';
import type { RetryBudget } from './retry-budget.js';

/** Failures the engine retries (with backoff, within `taskTimeoutMs`) instead of failing. */
export const isRetriable = (err: unknown): boolean => isStreamsError(err) && err.retriable;

/** What a recovery does to the application, step by step. */
export interface RecoveryHooks {
  /** Before each wait: the application is 'restoring' and emits 'retry'. */
  retrying(err: unknown, delayMs: number): void;
  /** Leaves the group and closes the tasks without a checkpoint, dropping unflushed records. */
  teardown(): Promise<void>;
  /** Joins the group with a new member; resolves once its first assignment runs. */
  rejoin(): Promise<void>;
  /** Gives up: the application fails with `err`. */
  fail(err: unknown): void;
  /** True once the application is closing or failed: the recovery stops where it is. */
  stopped(): boolean;
}

/**
 * The engine's answer to a retriable failure: tear down, wait (backing off), rejoin, and again
 * while rejoining fails or the new member fails, until the budget is spent. One recovery runs at
 * a time; failures during it are handed to it rather than starting another.
 */
export class RecoveryLoop {
  readonly #budget: RetryBudget;
  readonly #hooks: RecoveryHooks;
  #running: Promise<void> | undefined;
  /** A failure of the member the recovery is joining with, to recover from next. */
  #pending: unknown;
  #wake: (() => void) | undefined;

  constructor(budget: RetryBudget, hooks: RecoveryHooks) {
    this.#budget = budget;
    this.#hooks = hooks;
  }

  /** True while a recovery is under way. */
  get active(): boolean {
    return this.#running !== undefined;
  }

  /** Starts a recovery from `err`, or hands `err` to the one under way. */
  recover(err: unknown): void {
    if (this.#running !== undefined) {
      this.#pending = err;
      return;
    }
    this.#running = this.#run(err);
  }

  /** Cuts a wait short (the application is closing) and resolves once the recovery has ended. */
  async settle(): Promise<void> {
    this.#wake?.();
    await this.#running;
  }

  async #run(first: unknown): Promise<void> {
    // Never finish synchronously: `recover` must have set #running before the finally clears it.
    await Promise.resolve();
    try {
      let err = first;
      for (;;) {
        const delayMs = this.#budget.next();
        if (delayMs === undefined) return this.#hooks.fail(err);
        this.#hooks.retrying(err, delayMs);
        await this.#hooks.teardown();
        await this.#sleep(delayMs);
        if (this.#hooks.stopped()) return;
        this.#pending = undefined;
        try {
          await this.#hooks.rejoin();
        } catch (joinError) {
          if (!isRetriable(joinError) || this.#hooks.stopped()) return this.#hooks.fail(joinError);
          err = joinError;
          continue;
        }
        if (this.#pending === undefined) return;
        err = this.#pending;
      }
    } finally {
      // Cleared as the loop ends, with no await in between: a failure arriving after the last
      // look at #pending starts a recovery of its own.
      this.#running = undefined;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (this.#wake = undefined));
  }
}
