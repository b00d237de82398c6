/** Doubling stops after this many failures in a row: the longest wait is 32 × the first. */
const MAX_DOUBLINGS = 5;

/**
 * Exponential backoff with a time budget, for the engine's retries after retriable failures:
 * failures in a row wait `backoffMs`, 2×, 4×… (up to 32×), until `timeoutMs` have passed since
 * the first of them. The engine resets it when input offsets are committed again (progress).
 * Real time, not the application's clock: a retry really waits.
 */
export class RetryBudget {
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  #since: number | undefined;
  #last: number | undefined;
  #failures = 0;

  constructor(options: { backoffMs: number; timeoutMs: number }) {
    this.#backoffMs = options.backoffMs;
    this.#timeoutMs = options.timeoutMs;
  }

  /** Records a failure; the wait before the next attempt in ms, or undefined once the budget is spent. */
  next(): number | undefined {
    const now = Date.now();
    // A failure long after the last one is not part of the same run of failures.
    if (this.#last !== undefined && now - this.#last > this.#timeoutMs) this.reset();
    this.#last = now;
    this.#since ??= now;
    if (now - this.#since >= this.#timeoutMs) return undefined;
    const delay = this.#backoffMs * 2 ** Math.min(this.#failures, MAX_DOUBLINGS);
    this.#failures++;
    return Math.min(delay, Math.max(1, this.#since + this.#timeoutMs - now));
  }

  /** Progress was made: the next failure starts a new budget. */
  reset(): void {
    this.#since = undefined;
    this.#last = undefined;
    this.#failures = 0;
  }
}
