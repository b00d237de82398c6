import { assertDuration } from './internals/assert-duration.js';

/**
 * Per-key windows of activity (Kafka's `SessionWindows`): records of a key less than
 * `inactivityGapMs` apart (or exactly that far) belong to one session `[first, last]`, both
 * bounds inclusive. A record that bridges two sessions merges them, so out-of-order records can
 * join sessions that were separate. A session is closed once stream time passes its end plus
 * the gap plus the grace period. Durations in ms.
 */
export class SessionWindows {
  readonly inactivityGapMs: number;
  readonly graceMs: number;

  private constructor(inactivityGapMs: number, graceMs: number) {
    this.inactivityGapMs = inactivityGapMs;
    this.graceMs = graceMs;
  }

  static ofInactivityGapAndGrace(inactivityGapMs: number, graceMs: number): SessionWindows {
    assertDuration(inactivityGapMs, 'inactivity gap', true);
    assertDuration(graceMs, 'grace period');
    return new SessionWindows(inactivityGapMs, graceMs);
  }

  static ofInactivityGapWithNoGrace(inactivityGapMs: number): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGapMs, 0);
  }
}
