/**
 * Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(appSecret, raw body)>`,
 * or, only when configured, the legacy `X-Hub-Signature: sha1=<hex HMAC-SHA1(appSecret, raw body)>`.
 * Computed over the raw bytes (re-serialised JSON would not match) and compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SourcesError } from '../errors.js';
import type { WebhookHeaders } from '../source-definition.js';

export interface HubSignatureOptions {
  appSecret: string;
  /** Accept `X-Hub-Signature` (SHA-1) when `X-Hub-Signature-256` is absent. */
  acceptSha1: boolean;
}

/** The header value Meta would send for `body` (`sha256=<hex>`, or `sha1=<hex>`). */
export function hubSignature(appSecret: string, body: Buffer | string, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return `${algorithm}=${createHmac(algorithm, appSecret).update(body).digest('hex')}`;
}

/**
 * Checks the signature of `rawBody`.
 * @throws SourcesError SOURCES_SIGNATURE_INVALID (401) when it is missing, malformed, of another
 * algorithm, or does not match.
 */
export function verifyHubSignature(rawBody: Buffer, headers: WebhookHeaders, options: HubSignatureOptions): void {
  const sha256 = single(headers['x-hub-signature-256']);
  const sha1 = options.acceptSha1 ? single(headers['x-hub-signature']) : undefined;
  const [algorithm, header] = sha256 !== undefined ? (['sha256', sha256] as const) : sha1 !== undefined ? (['sha1', sha1] as const) : [undefined, undefined];
  if (algorithm === undefined) {
    throw new SourcesError('SOURCES_SIGNATURE_INVALID', options.acceptSha1 ? 'X-Hub-Signature-256 (or X-Hub-Signature) is missing' : 'X-Hub-Signature-256 is missing');
  }
  const prefix = `${algorithm}=`;
  const hex = header.startsWith(prefix) ? header.slice(prefix.length) : '';
  const given = /^[0-9a-fA-F]+$/.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
  const expected = createHmac(algorithm, options.appSecret).update(rawBody).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SourcesError('SOURCES_SIGNATURE_INVALID', `${algorithm === 'sha256' ? 'X-Hub-Signature-256' : 'X-Hub-Signature'} does not match the body`);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
