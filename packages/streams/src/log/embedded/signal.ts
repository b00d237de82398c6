/**
 * A wake-up that is not lost: `wait()` resolves at the next `notify()` (or after `timeoutMs`),
 * and a `notify()` that finds nobody waiting is remembered, so the next `wait()` resolves at
 * once. A consumer checks for records, then waits; an append landing between the two would
 * otherwise leave it asleep until the timeout. An extra wake-up costs one empty check.
 */
export class Signal {
  #waiters: Array<() => void> = [];
  #pending = false;

  wait(timeoutMs?: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(wake);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== wake);
          resolve();
        }, timeoutMs);
      }
    });
  }

  notify(): void {
    const waiters = this.#waiters;
    if (waiters.length === 0) {
      this.#pending = true;
      return;
    }
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
