import type { RequestHeaders } from '../auth/authenticator.js';

/** An inbound provider request, as a framework-free webhook handler sees it. */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  /** Lowercase header names, as Node gives them. */
  headers: RequestHeaders;
  query: Readonly<Record<string, string | string[] | undefined>>;
  /** The body exactly as received (empty for GET): signatures are computed over these bytes. */
  rawBody: Buffer;
}

/** What the provider gets back. A string body is sent as text/plain, anything else as JSON. */
export interface WebhookResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The hook a source registers for `/webhooks/<provider>`. These paths take no token: a
 * provider cannot send one, so the handler verifies the provider's signature itself (and may
 * answer a GET verification handshake). Throwing an error with a known code (e.g.
 * `SOURCES_SIGNATURE_INVALID`) answers with that code's status.
 */
export interface WebhookDefinition {
  /** The path segment after `/webhooks/`: lowercase letters, digits and dashes. */
  provider: string;
  /** The methods the hook takes; another is answered 405 RUNTIME_METHOD_NOT_ALLOWED. Default GET and POST. */
  methods?: readonly ('GET' | 'POST')[];
  /**
   * Runs before the body is read: a hook whose callers send a token checks it here, so an
   * unauthenticated caller never gets to upload a body. An answer refuses the request (and the
   * connection is closed without reading the body); undefined lets it through to `handle`.
   */
  checkBeforeBody?(request: Omit<WebhookRequest, 'rawBody'>): WebhookResponse | undefined | Promise<WebhookResponse | undefined>;
  handle(request: WebhookRequest): WebhookResponse | Promise<WebhookResponse>;
}
