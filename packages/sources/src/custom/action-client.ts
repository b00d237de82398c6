/**
 * Calls a custom source's action endpoint: one POST of a JSON body signed the Standard Webhooks
 * way (`webhook-id` = the Parley message id, the same on every retry, so the receiver can
 * de-duplicate; `webhook-timestamp` and `webhook-signature` per attempt), a timeout per attempt,
 * and a bounded number of retries for answers worth retrying (network error, timeout, 429, 5xx).
 * Redirects are not followed (a 3xx is a failure, as the spec says).
 */
import { SourcesError } from '../errors.js';
import { signStandardWebhook } from '../standard-webhooks.js';

/** Defaults of ActionRequestOptions. */
export const ACTION_DEFAULTS = Object.freeze({
  /** Per attempt, in milliseconds. */
  timeoutMs: 10_000,
  /** Waits before the 2nd, 3rd, … attempt, in milliseconds: 3 attempts in all. */
  retryDelaysMs: Object.freeze([250, 1000]) as readonly number[],
});

/** Longest response body kept (for `source.error`), in characters. */
const MAX_ERROR_BODY = 4096;

export interface ActionRequestOptions {
  url: string;
  /** The webhook id: unique per message, stable across retries. */
  id: string;
  body: string;
  key: Buffer;
  /** Milliseconds since the epoch, read per attempt for `webhook-timestamp`. */
  clock: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retryDelaysMs?: readonly number[];
}

/** A 2xx answer: its status and body text. */
export interface ActionResponse {
  status: number;
  body: string;
  attempts: number;
}

/**
 * POSTs until a 2xx answer or a final failure.
 * @throws SourcesError SOURCES_DELIVERY_FAILED with `status` and `body` of the last answer (when
 * there was one) and the number of `attempts`.
 */
export async function postToActionEndpoint(options: ActionRequestOptions): Promise<ActionResponse> {
  const doFetch = options.fetch ?? fetch;
  const delays = options.retryDelaysMs ?? ACTION_DEFAULTS.retryDelaysMs;
  const timeoutMs = options.timeoutMs ?? ACTION_DEFAULTS.timeoutMs;
  let last: DeliveryError | undefined;
  for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
    if (attempt > 1) await sleep(delays[attempt - 2]!);
    const headers = signStandardWebhook({ id: options.id, timestampSeconds: Math.floor(options.clock() / 1000), body: options.body, key: options.key });
    try {
      const res = await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Parley', ...headers },
        body: options.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = (await res.text()).slice(0, MAX_ERROR_BODY);
      if (res.status >= 200 && res.status < 300) return { status: res.status, body: text, attempts: attempt };
      last = new DeliveryError(`the action endpoint answered ${res.status}`, { status: res.status, body: text, attempts: attempt, retriable: res.status === 429 || res.status >= 500 });
    } catch (cause) {
      const timedOut = (cause as Error)?.name === 'TimeoutError';
      last = new DeliveryError(timedOut ? `the action endpoint did not answer within ${timeoutMs} ms` : 'the action endpoint could not be reached', { attempts: attempt, retriable: true, cause });
    }
    if (!last.retriable) break;
  }
  throw last!;
}

/** SOURCES_DELIVERY_FAILED with what the endpoint answered. */
export class DeliveryError extends SourcesError {
  /** HTTP status of the last answer; undefined when none came. */
  readonly status: number | undefined;
  /** Body of the last answer (at most 4096 characters); undefined when none came. */
  readonly body: string | undefined;
  readonly attempts: number;

  constructor(message: string, details: { status?: number; body?: string; attempts: number; retriable: boolean; cause?: unknown }) {
    super('SOURCES_DELIVERY_FAILED', message, { retriable: details.retriable, cause: details.cause });
    this.name = 'DeliveryError';
    this.status = details.status;
    this.body = details.body;
    this.attempts = details.attempts;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
