/**
 * A small Graph API client: one JSON request with the page token as a Bearer header (never in
 * the URL, so it is not logged by proxies), a timeout per attempt, and retries with backoff for
 * the answers Meta asks to retry later — rate limits (GRAPH_RATE_LIMIT_CODES, HTTP 429) and
 * 5xx/network errors. Anything else is final and surfaces Graph's error body.
 */
import { SourcesError } from '../errors.js';

/**
 * Graph error codes meaning "too many calls: try later": application (4), page (32) and custom
 * (613) rate limits, and WhatsApp's account (80007), throughput (130429) and per-recipient pair
 * (131056) limits.
 */
export const GRAPH_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([4, 32, 613, 80007, 130429, 131056]);

/** Longest error body kept (for `source.error`), in characters. */
const MAX_ERROR_BODY = 4096;

export interface GraphClientOptions {
  baseUrl: string;
  apiVersion: string;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  fetch?: typeof fetch;
  /** Waits between attempts; default a timer (tests pass one that resolves at once). */
  sleep?: (ms: number) => Promise<void>;
}

export interface GraphRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path after the version, starting with `/` (`/123/messages`). */
  path: string;
  token: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** SOURCES_DELIVERY_FAILED with what Graph answered. */
export class GraphError extends SourcesError {
  /** HTTP status; undefined when no answer came. */
  readonly status: number | undefined;
  /** `error.code` / `error.error_subcode` of Graph's body, when present. */
  readonly graphCode: number | undefined;
  readonly graphSubcode: number | undefined;
  /** The raw answer body (at most 4096 characters). */
  readonly body: string | undefined;
  readonly attempts: number;

  constructor(message: string, details: { status?: number; graphCode?: number; graphSubcode?: number; body?: string; attempts: number; retriable: boolean; cause?: unknown }) {
    super('SOURCES_DELIVERY_FAILED', message, { retriable: details.retriable, cause: details.cause });
    this.name = 'GraphError';
    this.status = details.status;
    this.graphCode = details.graphCode;
    this.graphSubcode = details.graphSubcode;
    this.body = details.body;
    this.attempts = details.attempts;
  }
}

export class GraphClient {
  readonly #options: GraphClientOptions;

  constructor(options: GraphClientOptions) {
    this.#options = options;
  }

  /**
   * Sends `request` until a 2xx answer or a final failure; resolves with the parsed JSON answer.
   * @throws GraphError (SOURCES_DELIVERY_FAILED) with Graph's `error.message` as its message.
   */
  async call(request: GraphRequest): Promise<unknown> {
    const { baseUrl, apiVersion, timeoutMs, retryDelaysMs } = this.#options;
    const doFetch = this.#options.fetch ?? fetch;
    const sleep = this.#options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${apiVersion}${request.path}`);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
    let last: GraphError | undefined;
    for (let attempt = 1; attempt <= retryDelaysMs.length + 1; attempt++) {
      if (attempt > 1) await sleep(retryDelaysMs[attempt - 2]!);
      try {
        const res = await doFetch(url, {
          method: request.method,
          headers: { authorization: `Bearer ${request.token}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        if (res.status >= 200 && res.status < 300) return parse(text);
        last = graphError(res.status, text, attempt);
      } catch (cause) {
        const timedOut = (cause as Error)?.name === 'TimeoutError';
        last = new GraphError(timedOut ? `the Graph API did not answer within ${timeoutMs} ms` : 'the Graph API could not be reached', { attempts: attempt, retriable: true, cause });
      }
      if (!last.retriable) break;
    }
    throw last!;
  }
}

function graphError(status: number, text: string, attempts: number): GraphError {
  const error = (parse(text) as { error?: { message?: unknown; code?: unknown; error_subcode?: unknown } } | undefined)?.error;
  const graphCode = typeof error?.code === 'number' ? error.code : undefined;
  const graphSubcode = typeof error?.error_subcode === 'number' ? error.error_subcode : undefined;
  const message = typeof error?.message === 'string' && error.message.length > 0 ? error.message : `the Graph API answered ${status}`;
  const retriable = status === 429 || status >= 500 || (graphCode !== undefined && GRAPH_RATE_LIMIT_CODES.has(graphCode));
  return new GraphError(message, { status, ...(graphCode === undefined ? {} : { graphCode }), ...(graphSubcode === undefined ? {} : { graphSubcode }), body: text.slice(0, MAX_ERROR_BODY), attempts, retriable });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
