/**
 * When to try a failed delivery again: the configured schedule (seconds after each failure; by
 * default the Standard Webhooks example schedule) with ±20 % jitter, so endpoints that failed
 * together are not retried in lockstep; a `Retry-After` on 429 or 503 replaces the schedule's
 * delay when it asks for longer (capped at a day).
 */

const JITTER = 0.2;
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * The delay before attempt `attempts + 1` after `attempts` failed ones, in ms, or undefined when
 * the schedule is used up (the job goes to the dead letters). `random` is in [0, 1).
 */
export function retryDelayMs(attempts: number, schedule: readonly number[], random: number = Math.random()): number | undefined {
  const seconds = schedule[attempts - 1];
  if (seconds === undefined) return undefined;
  const factor = 1 - JITTER + 2 * JITTER * random;
  return Math.round(seconds * 1000 * factor);
}

/** A `Retry-After` header (seconds or an HTTP date) as a delay in ms; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), MAX_RETRY_AFTER_MS);
}
