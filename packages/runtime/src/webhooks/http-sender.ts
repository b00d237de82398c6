/**
 * One delivery attempt: a POST of the JSON body with the Standard Webhooks headers, through
 * node:http(s) so the SSRF guard can check every address the name resolves to. Redirects are
 * not followed (a 3xx is a failure, as the spec says); the whole attempt, answer included, is
 * bounded by `timeoutMs`; at most 64 KiB of the answer is read (for the error text).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { guardedLookup } from './ssrf-guard.js';

export interface SendResult {
  /** Null when no answer came (timeout, refused address, network error). */
  status: number | null;
  /** `Retry-After` of the answer, if any. */
  retryAfter: string | undefined;
  latencyMs: number;
  /** Null on 2xx. */
  error: string | null;
}

export interface SenderOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
}

const USER_AGENT = 'Parley-Webhooks/1.0';
const MAX_ANSWER_BYTES = 64 * 1024;
/** Headers a subscription's custom headers cannot replace. */
const RESERVED = new Set(['content-type', 'content-length', 'host', 'user-agent', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'connection', 'transfer-encoding']);

export function isReservedHeader(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

export class HttpSender {
  readonly #options: SenderOptions;
  readonly #lookup;
  // Keep-alive agents: one connection pool per endpoint host, reused across deliveries.
  readonly #agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

  constructor(options: SenderOptions) {
    this.#options = options;
    this.#lookup = guardedLookup(options.allowPrivateNetworks);
  }

  send(url: string, body: Buffer | string, headers: Record<string, string>): Promise<SendResult> {
    const started = performance.now();
    const latency = (): number => Math.round(performance.now() - started);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: Omit<SendResult, 'latencyMs'>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...result, latencyMs: latency() });
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return finish({ status: null, retryAfter: undefined, error: 'invalid URL' });
      }
      const transport = target.protocol === 'https:' ? https : http;
      const agent = this.#agents[target.protocol as 'http:' | 'https:'];
      if (agent === undefined) return finish({ status: null, retryAfter: undefined, error: `unsupported protocol ${target.protocol}` });
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      const request = transport.request(target, {
        method: 'POST',
        agent,
        ...(this.#lookup === undefined ? {} : { lookup: this.#lookup }),
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': USER_AGENT },
      });
      const timer = setTimeout(() => {
        request.destroy();
        finish({ status: null, retryAfter: undefined, error: `no answer within ${this.#options.timeoutMs} ms` });
      }, this.#options.timeoutMs);
      request.on('error', (err: NodeJS.ErrnoException) => finish({ status: null, retryAfter: undefined, error: err.code === 'WEBHOOK_TARGET_REFUSED' ? err.message : `${err.code ?? 'error'}: ${err.message}` }));
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', () => undefined);
        response.on('end', () => {
          const ok = status >= 200 && status < 300;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 200);
          const retryAfter = response.headers['retry-after'];
          finish({ status, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, error: ok ? null : `HTTP ${status}${text === '' ? '' : `: ${text}`}` });
        });
      });
      request.end(payload);
    });
  }

  close(): void {
    this.#agents['http:'].destroy();
    this.#agents['https:'].destroy();
  }
}
