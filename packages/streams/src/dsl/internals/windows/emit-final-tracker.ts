/**
 * @internal The state of an emit-on-window-close aggregation (KIP-825): the window close time up
 * to which final results have been forwarded. `next(closeTime)` says whether close time moved,
 * and remembers it. It lives in memory; after a restart the processor resumes it from the
 * stream time its store had reached (windows that closed by then were emitted before the state
 * they were emitted from was written), so only windows closing after that point can be emitted
 * again (at-least-once).
 */
export class EmitFinalTracker {
  #lastCloseTime: number | undefined;

  /** The last close time results were emitted for; undefined before the first emission. */
  get lastCloseTime(): number | undefined {
    return this.#lastCloseTime;
  }

  /** Starts from `closeTime` after a restart (a no-op for a negative close time: nothing closed yet). */
  resume(closeTime: number): void {
    if (closeTime >= 0 && this.#lastCloseTime === undefined) this.#lastCloseTime = closeTime;
  }

  /** True (and remembered) when `closeTime` is past the last emission's; false otherwise. */
  advance(closeTime: number): boolean {
    if (this.#lastCloseTime !== undefined && this.#lastCloseTime >= closeTime) return false;
    this.#lastCloseTime = closeTime;
    return true;
  }
}
