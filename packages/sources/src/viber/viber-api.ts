/**
 * Viber's Bot API (https://developers.viber.com/docs/api/rest-bot-api/): every call is a POST of
 * JSON to `<apiUrl>/<method>` with the bot's `X-Viber-Auth-Token`. Viber answers HTTP 200 with
 * `{ status, status_message, … }`; `status` 0 is success, anything else an error (2 invalid auth
 * token, 5 receiver not registered, 6 not subscribed, 12 too many requests, …). HTTP 429, 5xx,
 * network errors, timeouts and status 12 are retried after `retryDelaysMs`; the rest fail at once.
 */
import { SourcesError } from '../errors.js';
import { parseViberJson } from './viber-json.js';

/** Viber's status for "too many requests": retried like an HTTP 429. */
export const VIBER_STATUS_RATE_LIMITED = 12;

/** Longest answer body kept (for `source.error`), in characters. */
const MAX_ERROR_BODY = 4096;

export interface ViberApiOptions {
  apiUrl: string;
  authToken: string;
  fetch?: typeof fetch;
  /** Per attempt, in ms. */
  timeoutMs: number;
  /** Waits between attempts, in ms (its length + 1 attempts). */
  retryDelaysMs: readonly number[];
}

/** A successful answer (`status` 0), read losslessly. */
export type ViberAnswer = Record<string, unknown> & { status: 0 };

/** SOURCES_PROVIDER_API_FAILED: Viber refused the call or could not be reached. */
export class ViberApiError extends SourcesError {
  /** Viber's `status` when it answered one. */
  readonly viberStatus: number | undefined;
  /** The HTTP status of the last answer, when one came. */
  readonly httpStatus: number | undefined;
  /** The last answer's body (at most 4096 characters), when one came. */
  readonly body: string | undefined;
  readonly attempts: number;

  constructor(message: string, details: { viberStatus?: number; httpStatus?: number; body?: string; attempts: number; retriable: boolean; cause?: unknown }) {
    super('SOURCES_PROVIDER_API_FAILED', message, { retriable: details.retriable, cause: details.cause });
    this.name = 'ViberApiError';
    this.viberStatus = details.viberStatus;
    this.httpStatus = details.httpStatus;
    this.body = details.body;
    this.attempts = details.attempts;
  }
}

/**
 * Calls `method` with `body` until Viber answers status 0 or a final failure.
 * @throws ViberApiError with the last answer's details.
 */
export async function callViber(options: ViberApiOptions, method: string, body: unknown): Promise<ViberAnswer> {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.apiUrl.replace(/\/+$/, '')}/${method}`;
  const payload = JSON.stringify(body);
  let last: ViberApiError | undefined;
  for (let attempt = 1; attempt <= options.retryDelaysMs.length + 1; attempt++) {
    if (attempt > 1) await sleep(options.retryDelaysMs[attempt - 2]!);
    const outcome = await attemptOnce(doFetch, url, payload, options, method, attempt);
    if (!(outcome instanceof ViberApiError)) return outcome;
    last = outcome;
    if (!last.retriable) break;
  }
  throw last!;
}

/** One attempt: the answer, or the error it ended with. */
async function attemptOnce(doFetch: typeof fetch, url: string, payload: string, options: ViberApiOptions, method: string, attempt: number): Promise<ViberAnswer | ViberApiError> {
  let res: Response;
  let text: string;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-viber-auth-token': options.authToken, 'user-agent': 'Parley' },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await res.text();
  } catch (cause) {
    const timedOut = (cause as Error)?.name === 'TimeoutError';
    return new ViberApiError(timedOut ? `Viber ${method} did not answer within ${options.timeoutMs} ms` : `Viber ${method} could not be reached`, { attempts: attempt, retriable: true, cause });
  }
  const kept = text.slice(0, MAX_ERROR_BODY);
  if (res.status !== 200) {
    return new ViberApiError(`Viber ${method} answered HTTP ${res.status}`, { httpStatus: res.status, body: kept, attempts: attempt, retriable: res.status === 429 || res.status >= 500 });
  }
  let answer: Record<string, unknown>;
  try {
    const parsed = parseViberJson(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
    answer = parsed as Record<string, unknown>;
  } catch (cause) {
    return new ViberApiError(`Viber ${method} answered something that is not a JSON object`, { httpStatus: 200, body: kept, attempts: attempt, retriable: false, cause });
  }
  const status = typeof answer.status === 'number' ? answer.status : Number.NaN;
  if (status === 0) return answer as ViberAnswer;
  const reason = typeof answer.status_message === 'string' && answer.status_message !== '' ? answer.status_message : `status ${String(answer.status)}`;
  return new ViberApiError(`Viber ${method}: ${reason}`, { viberStatus: Number.isNaN(status) ? undefined : status, httpStatus: 200, body: kept, attempts: attempt, retriable: status === VIBER_STATUS_RATE_LIMITED });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
