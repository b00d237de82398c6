import { assertDuration } from './internals/assert-duration.js';
import type { Window } from './windowed.js';

/**
 * Fixed-size windows aligned to the epoch, `[start, start + size)` (Kafka's `TimeWindows`).
 * Tumbling by default (each record in exactly one window); `advanceBy` makes them hopping
 * (windows start every `advanceMs`, so a record falls into `size / advance` windows). A record
 * that arrives when stream time has passed its window's end plus the grace period is late and
 * dropped. Every duration is in ms.
 */
export class TimeWindows {
  readonly sizeMs: number;
  readonly advanceMs: number;
  readonly graceMs: number;

  private constructor(sizeMs: number, advanceMs: number, graceMs: number) {
    this.sizeMs = sizeMs;
    this.advanceMs = advanceMs;
    this.graceMs = graceMs;
  }

  /** Tumbling windows of `sizeMs` that accept out-of-order records for `graceMs` after they end. */
  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    assertDuration(sizeMs, 'window size', true);
    assertDuration(graceMs, 'grace period');
    return new TimeWindows(sizeMs, sizeMs, graceMs);
  }

  /** Tumbling windows of `sizeMs` with no grace: a record is late once stream time reaches its window's end. */
  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return TimeWindows.ofSizeAndGrace(sizeMs, 0);
  }

  /** Hopping windows: a new window every `advanceMs` (0 < advanceMs <= sizeMs). */
  advanceBy(advanceMs: number): TimeWindows {
    assertDuration(advanceMs, 'advance', true);
    if (advanceMs > this.sizeMs) throw new RangeError(`advance (${advanceMs} ms) must not exceed the window size (${this.sizeMs} ms)`);
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  /** The windows containing `timestampMs`, by start, ascending (Kafka's `windowsFor`). */
  windowsFor(timestampMs: number): Window[] {
    const windows: Window[] = [];
    let start = Math.floor(Math.max(0, timestampMs - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
    for (; start <= timestampMs; start += this.advanceMs) windows.push({ start, end: start + this.sizeMs });
    return windows;
  }
}
