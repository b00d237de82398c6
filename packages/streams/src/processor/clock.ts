/** The source of wall-clock time, injected so that tests (and the TopologyTestDriver) control it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The real clock: `Date.now()`. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
