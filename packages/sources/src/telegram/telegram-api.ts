/**
 * The Bot API: `POST {apiBaseUrl}/bot<token>/<method>` with a JSON body, answered
 * `{ ok: true, result }` or `{ ok: false, error_code, description, parameters?: { retry_after } }`.
 * A 429, a 5xx, a timeout or a network error is tried again after `retryDelaysMs` (or
 * `retry_after` when longer).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface TelegramApiOptions {
  apiBaseUrl: string;
  botToken: string;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  fetch?: typeof fetch;
}

export class TelegramApiError extends Error {
  constructor(
    message: string,
    /** Telegram's `error_code` (the HTTP status), 0 when there was no answer. */
    readonly errorCode: number,
    readonly body: string | undefined,
  ) {
    super(message);
    this.name = 'TelegramApiError';
  }
}

/** Calls `method`; resolves its `result`. @throws TelegramApiError */
export async function callTelegram(options: TelegramApiOptions, method: string, body: object): Promise<unknown> {
  const url = `${options.apiBaseUrl.replace(/\/$/, '')}/bot${options.botToken}/${method}`;
  for (let attempt = 0; ; attempt++) {
    let failure: TelegramApiError;
    let retryAfterMs = 0;
    try {
      const res = await (options.fetch ?? fetch)(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(options.timeoutMs) });
      const text = await res.text();
      const answer = parse(text);
      if (res.ok && answer?.ok === true) return answer.result;
      const code = typeof answer?.error_code === 'number' ? answer.error_code : res.status;
      failure = new TelegramApiError(`Telegram refused ${method} (${code}): ${typeof answer?.description === 'string' ? answer.description : `HTTP ${res.status}`}`, code, text);
      if (code !== 429 && code < 500) throw failure;
      retryAfterMs = Math.min(60_000, Number(answer?.parameters?.retry_after ?? 0) * 1000 || 0);
    } catch (err) {
      if (err instanceof TelegramApiError) throw err;
      failure = new TelegramApiError(`Telegram did not answer ${method}: ${(err as Error).message}`, 0, undefined);
    }
    if (attempt >= options.retryDelaysMs.length) throw failure;
    await sleep(Math.max(options.retryDelaysMs[attempt]!, retryAfterMs));
  }
}

function parse(text: string): { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } } | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as never) : undefined;
  } catch {
    return undefined;
  }
}
