/**
 * The Business Messages API as the connector calls it: an OAuth2 access token from the service
 * account (JWT bearer grant, RFC 7523: an RS256 assertion `iss` = client email, `scope`
 * businessmessages, `aud` = the token URL, 1 h; posted form-encoded to the token URL), cached
 * until 60 s before it expires, then `POST <apiUrl>/conversations/{conversationId}/messages`
 * with `Authorization: Bearer`. HTTP 429, 5xx and network errors are retried; a 401 drops the
 * cached token and tries once more with a new one.
 */
import { importPKCS8, SignJWT } from 'jose';
import { SourcesError } from '../errors.js';
import { GOOGLE_SCOPE, type ConfiguredGoogle } from './config.js';

const MAX_ERROR_BODY = 4096;

/** SOURCES_PROVIDER_API_FAILED: Google refused the call (or the token) or could not be reached. */
export class GoogleApiError extends SourcesError {
  readonly httpStatus: number | undefined;
  readonly body: string | undefined;
  constructor(message: string, details: { httpStatus?: number; body?: string; retriable: boolean; cause?: unknown }) {
    super('SOURCES_PROVIDER_API_FAILED', message, { retriable: details.retriable, cause: details.cause });
    this.name = 'GoogleApiError';
    this.httpStatus = details.httpStatus;
    this.body = details.body;
  }
}

export interface GoogleClientOptions {
  config: Pick<ConfiguredGoogle, 'serviceAccount' | 'apiUrl'> & { delivery: { timeoutMs: number; retryDelaysMs: readonly number[] } };
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (token expiry). Default `Date.now`. */
  clock?: () => number;
}

/** Sends messages with a cached service-account token. */
export class GoogleMessagesClient {
  readonly #options: GoogleClientOptions;
  #token: { value: string; expiresAt: number } | undefined;

  constructor(options: GoogleClientOptions) {
    this.#options = options;
  }

  get #fetch(): typeof fetch {
    return this.#options.fetch ?? fetch;
  }

  #now(): number {
    return (this.#options.clock ?? Date.now)();
  }

  /** The cached access token, or a new one. */
  async accessToken(): Promise<string> {
    if (this.#token !== undefined && this.#now() < this.#token.expiresAt) return this.#token.value;
    const { serviceAccount, delivery } = this.#options.config;
    let assertion: string;
    try {
      const key = await importPKCS8(serviceAccount.privateKey, 'RS256');
      const iat = Math.floor(this.#now() / 1000);
      assertion = await new SignJWT({ scope: GOOGLE_SCOPE })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuer(serviceAccount.clientEmail)
        .setAudience(serviceAccount.tokenUrl)
        .setIssuedAt(iat)
        .setExpirationTime(iat + 3600)
        .sign(key);
    } catch (cause) {
      throw new GoogleApiError('the service account private key cannot sign (a PKCS#8 RSA key is needed)', { retriable: false, cause });
    }
    const res = await this.#call(serviceAccount.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      signal: AbortSignal.timeout(delivery.timeoutMs),
    }, 'the token endpoint');
    if (res.status !== 200) throw new GoogleApiError(`the token endpoint answered ${res.status}: ${errorText(res.text)}`, { httpStatus: res.status, body: res.text, retriable: res.status === 429 || res.status >= 500 });
    let answer: { access_token?: unknown; expires_in?: unknown };
    try {
      answer = JSON.parse(res.text) as typeof answer;
    } catch (cause) {
      throw new GoogleApiError('the token endpoint answered something that is not JSON', { httpStatus: 200, body: res.text, retriable: false, cause });
    }
    if (typeof answer.access_token !== 'string' || answer.access_token === '') throw new GoogleApiError('the token endpoint answered no access_token', { httpStatus: 200, body: res.text, retriable: false });
    const lifetime = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 3600;
    this.#token = { value: answer.access_token, expiresAt: this.#now() + Math.max(0, lifetime - 60) * 1000 };
    return this.#token.value;
  }

  /**
   * Creates a message in a Business Messages conversation, retrying as the module says.
   * @throws GoogleApiError with the last answer.
   */
  async createMessage(conversationId: string, body: Record<string, unknown>): Promise<unknown> {
    const { apiUrl, delivery } = this.#options.config;
    const url = `${apiUrl.replace(/\/+$/, '')}/conversations/${encodeURIComponent(conversationId)}/messages`;
    let last: GoogleApiError | undefined;
    let refreshed = false;
    for (let attempt = 1; attempt <= delivery.retryDelaysMs.length + 1; attempt++) {
      if (attempt > 1) await sleep(delivery.retryDelaysMs[attempt - 2]!);
      try {
        const token = await this.accessToken();
        const res = await this.#call(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(delivery.timeoutMs),
        }, 'Business Messages');
        if (res.status >= 200 && res.status < 300) return res.text === '' ? {} : JSON.parse(res.text);
        // A token revoked before its expiry: drop it and try once more with a new one.
        const renewToken = res.status === 401 && !refreshed;
        if (renewToken) {
          this.#token = undefined;
          refreshed = true;
        }
        last = new GoogleApiError(`Business Messages answered ${res.status}: ${errorText(res.text)}`, { httpStatus: res.status, body: res.text, retriable: renewToken || res.status === 429 || res.status >= 500 });
      } catch (err) {
        if (!(err instanceof GoogleApiError)) throw err;
        last = err;
      }
      if (!last.retriable) break;
    }
    throw last!;
  }

  async #call(url: string, init: RequestInit, what: string): Promise<{ status: number; text: string }> {
    try {
      const res = await this.#fetch(url, { ...init, redirect: 'manual' });
      return { status: res.status, text: (await res.text()).slice(0, MAX_ERROR_BODY) };
    } catch (cause) {
      throw new GoogleApiError(`${what} could not be reached`, { retriable: true, cause });
    }
  }
}

/** Google's error message (`{ "error": { "message" } }`), else the text. */
function errorText(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // not JSON
  }
  return text === '' ? 'no body' : text.slice(0, 200);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
