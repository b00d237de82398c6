/**
 * Twilio's Messages API: `POST {apiBaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json`,
 * HTTP Basic (AccountSid, auth token), form-encoded. 201 answers the message resource (`sid`);
 * a refusal answers `{ code, message, more_info, status }` with a Twilio error code. A 429, a 5xx,
 * a timeout or a network error is tried again after `retryDelaysMs` (or `Retry-After` when longer).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface TwilioApiOptions {
  apiBaseUrl: string;
  accountSid: string;
  authToken: string;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  /** Default the global fetch. */
  fetch?: typeof fetch;
}

/** A send Twilio refused (or that never got an answer after the retries). */
export class TwilioApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, 0 when there was no answer. */
    readonly status: number,
    /** Twilio's error code (`21211`), when it gave one. */
    readonly twilioCode: number | undefined,
    /** The answer's body as received. */
    readonly body: string | undefined,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }
}

const MAX_RETRY_AFTER_MS = 60_000;

/** Creates a message; resolves its `sid`. @throws TwilioApiError */
export async function createTwilioMessage(options: TwilioApiOptions, form: URLSearchParams): Promise<string> {
  const url = `${options.apiBaseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${options.accountSid}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const doFetch = options.fetch ?? fetch;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= options.retryDelaysMs.length;
    let retryAfterMs = 0;
    let failure: TwilioApiError;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const body = await res.text();
      if (res.status === 200 || res.status === 201) {
        const sid = jsonField(body, 'sid');
        if (typeof sid === 'string' && sid.length > 0) return sid;
        throw new TwilioApiError('Twilio answered without a message sid', res.status, undefined, body);
      }
      const code = jsonField(body, 'code');
      const text = jsonField(body, 'message');
      failure = new TwilioApiError(
        `Twilio refused the message${typeof code === 'number' ? ` (error ${code})` : ''}: ${typeof text === 'string' ? text : `HTTP ${res.status}`}`,
        res.status,
        typeof code === 'number' ? code : undefined,
        body,
      );
      if (res.status !== 429 && res.status < 500) throw failure;
      retryAfterMs = Math.min(MAX_RETRY_AFTER_MS, Number(res.headers.get('retry-after') ?? '0') * 1000 || 0);
    } catch (err) {
      if (err instanceof TwilioApiError && (err.status === 0 || (err.status !== 429 && err.status < 500))) throw err;
      failure = err instanceof TwilioApiError ? err : new TwilioApiError(`Twilio did not answer: ${(err as Error).message}`, 0, undefined, undefined);
    }
    if (last) throw failure;
    await sleep(Math.max(options.retryDelaysMs[attempt]!, retryAfterMs));
  }
}

function jsonField(body: string, name: string): unknown {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[name] : undefined;
  } catch {
    return undefined;
  }
}
