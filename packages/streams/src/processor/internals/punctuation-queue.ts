import type { Punctuator } from '../processor-context.js';

export interface PunctuationSchedule {
  readonly nodeName: string;
  readonly intervalMs: number;
  readonly punctuator: Punctuator;
  /** The next time (stream or wall-clock, ms) at which this schedule is due. */
  dueMs: number;
  cancelled: boolean;
}

/**
 * Due-time ordered schedules of one punctuation type, with Kafka's catch-up rule: after a gap of
 * several intervals a schedule fires once, then realigns to the next multiple of its interval
 * (`PunctuationSchedule.next`).
 */
export class PunctuationQueue {
  readonly #schedules: PunctuationSchedule[] = [];

  add(schedule: PunctuationSchedule): void {
    this.#schedules.push(schedule);
  }

  /** Fires every schedule due at `nowMs`, earliest first; returns whether any fired. */
  mayPunctuate(nowMs: number, fire: (schedule: PunctuationSchedule) => void): boolean {
    let fired = false;
    for (;;) {
      this.#prune();
      const next = this.#earliest();
      if (next === undefined || next.dueMs > nowMs) return fired;
      const due = next.dueMs;
      // Advance before firing so a punctuator that throws does not fire again for the same time.
      next.dueMs = nowMs >= due + next.intervalMs
        ? due + (Math.floor((nowMs - due) / next.intervalMs) + 1) * next.intervalMs
        : due + next.intervalMs;
      fire(next);
      fired = true;
    }
  }

  #earliest(): PunctuationSchedule | undefined {
    let best: PunctuationSchedule | undefined;
    for (const s of this.#schedules) if (best === undefined || s.dueMs < best.dueMs) best = s;
    return best;
  }

  #prune(): void {
    for (let i = this.#schedules.length - 1; i >= 0; i--) if (this.#schedules[i]!.cancelled) this.#schedules.splice(i, 1);
  }
}
