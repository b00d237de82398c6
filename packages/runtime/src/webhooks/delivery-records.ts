/** The JSON records of `webhooks.attempts` and `webhooks.dead-letters` (snake_case, as the API returns them). */

/** How an attempt ended. */
export type AttemptOutcome = 'delivered' | 'retrying' | 'dead' | 'disabled' | 'skipped';

export interface AttemptRecord {
  webhook_id: string;
  event_id: string;
  /** 1 for the first attempt. */
  attempt: number;
  outcome: AttemptOutcome;
  /** The endpoint's HTTP status; null when there was no answer (timeout, refused, network error). */
  status: number | null;
  latency_ms: number;
  /** What went wrong (null on success). */
  error: string | null;
  /** When the attempt started, ISO 8601. */
  at: string;
  /** When the next attempt is due, ISO 8601; null unless retrying. */
  next_attempt_at: string | null;
}

export interface DeadLetterRecord {
  webhook_id: string;
  event_id: string;
  lane: string;
  /** The body as it was signed and sent. */
  body: string;
  attempts: number;
  last_error: string;
  dead_at: string;
}

export function deadLetterKey(webhookId: string, eventId: string): string {
  return `${webhookId}/${eventId}`;
}
