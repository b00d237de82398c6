/**
 * How close in time two records of a stream-stream join must be (Kafka's `JoinWindows`). A record
 * at time t of this stream joins every record of the other stream with a timestamp in
 * [t - beforeMs, t + afterMs], bounds included. Times are milliseconds.
 *
 * The grace period is how long after a window ends records may still arrive out of order. Left and
 * outer joins emit a record that found no partner (`joiner(value, null)`) only once its window and
 * the grace period have passed in stream time (KAFKA-10847), at Kafka's next emission pass. As in
 * Kafka, a record whose window had already ended when it arrived is emitted at once, grace not
 * counted (KAFKA-19536; the README's "Same answers as Kafka Streams").
 */
export class JoinWindows {
  /** How far the other record may lie before this one, in ms. */
  readonly beforeMs: number;
  /** How far the other record may lie after this one, in ms. */
  readonly afterMs: number;
  /** Out-of-order records are accepted for this long after a window ends, in ms. */
  readonly graceMs: number;

  private constructor(beforeMs: number, afterMs: number, graceMs: number) {
    assertMs(beforeMs, 'beforeMs');
    assertMs(afterMs, 'afterMs');
    assertMs(graceMs, 'graceMs');
    this.beforeMs = beforeMs;
    this.afterMs = afterMs;
    this.graceMs = graceMs;
  }

  /** Records at most `timeDifferenceMs` apart join; late records are accepted for `graceMs`. */
  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): JoinWindows {
    return new JoinWindows(timeDifferenceMs, timeDifferenceMs, graceMs);
  }

  /** Records at most `timeDifferenceMs` apart join; no grace period (out-of-order records are not waited for). */
  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): JoinWindows {
    return new JoinWindows(timeDifferenceMs, timeDifferenceMs, 0);
  }

  /** The same windows with a different lower bound: other records up to `beforeMs` earlier join. */
  before(beforeMs: number): JoinWindows {
    return new JoinWindows(beforeMs, this.afterMs, this.graceMs);
  }

  /** The same windows with a different upper bound: other records up to `afterMs` later join. */
  after(afterMs: number): JoinWindows {
    return new JoinWindows(this.beforeMs, afterMs, this.graceMs);
  }

  /** `beforeMs + afterMs`: the span of one window, in ms. */
  get sizeMs(): number {
    return this.beforeMs + this.afterMs;
  }
}

function assertMs(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer number of ms, got ${String(value)}`);
  }
}
