import { assertDuration } from './internals/assert-duration.js';

/**
 * Windows of a fixed length that slide with the records (Kafka's `SlidingWindows`, KIP-450):
 * two records fall into one window when their timestamps differ by at most
 * `timeDifferenceMs`. Bounds are inclusive, `[start, start + timeDifferenceMs]`, and only the
 * windows where the set of records changes exist: each record's "left" window ending at its
 * timestamp and, when later records follow within the difference, its "right" window starting
 * 1 ms after it. Durations in ms.
 */
export class SlidingWindows {
  readonly timeDifferenceMs: number;
  readonly graceMs: number;

  private constructor(timeDifferenceMs: number, graceMs: number) {
    this.timeDifferenceMs = timeDifferenceMs;
    this.graceMs = graceMs;
  }

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): SlidingWindows {
    assertDuration(timeDifferenceMs, 'time difference', true);
    assertDuration(graceMs, 'grace period');
    return new SlidingWindows(timeDifferenceMs, graceMs);
  }

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }
}
