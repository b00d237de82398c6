/**
 * Standard Webhooks (v1, symmetric) signatures: the signed content is
 * `${webhook-id}.${webhook-timestamp}.${raw body}`, the signature `v1,` + base64(HMAC-SHA256(key,
 * content)), sent in `webhook-signature` (space-separated list, for key rotation) with
 * `webhook-id` (stable across retries: the receiver's idempotency key) and `webhook-timestamp`
 * (unix seconds of this attempt). Secrets are shown as `whsec_` + base64 of the key bytes, so
 * receivers can use any Standard Webhooks library. https://www.standardwebhooks.com/
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SourcesError } from './errors.js';
import type { WebhookHeaders } from './source-definition.js';

const SECRET_PREFIX = 'whsec_';
/** The reference libraries' replay window: 5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `whsec_<base64>` for key bytes. */
export function encodeSigningSecret(key: Buffer): string {
  return SECRET_PREFIX + key.toString('base64');
}

/** The key bytes of a `whsec_<base64>` secret (a secret without the prefix is read as base64). */
export function decodeSigningSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || secret.length === 0) throw new TypeError('a signing secret must be a non-empty string');
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export interface SignOptions {
  /** `webhook-id`: unique per event, the same for every retry; must not contain a dot. */
  id: string;
  /** `webhook-timestamp`: unix seconds of this attempt. */
  timestampSeconds: number;
  body: Buffer | string;
  /** The key bytes, or a secret KeyObject made of them once (`createSecretKey`) for a sender signing many requests. */
  key: Buffer | KeyObject;
}

/** The three Standard Webhooks headers for one attempt. */
export function signStandardWebhook(options: SignOptions): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const { id, timestampSeconds, body, key } = options;
  if (id.includes('.')) throw new RangeError('a webhook id must not contain a dot');
  if (!Number.isSafeInteger(timestampSeconds)) throw new RangeError('timestampSeconds must be an integer');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature(key, id, timestampSeconds, body)}`,
  };
}

export interface VerifyOptions {
  headers: WebhookHeaders;
  rawBody: Buffer | string;
  key: Buffer;
  /** Unix seconds to check the timestamp against. Default now. */
  nowSeconds?: number;
  /** Largest accepted distance between the timestamp and now, in seconds. Default 300. */
  toleranceSeconds?: number;
}

/**
 * Checks a request signed by `signStandardWebhook` (what a receiver does), in constant time per
 * candidate signature. Returns the `webhook-id`.
 * @throws SourcesError SOURCES_SIGNATURE_INVALID for missing headers, a timestamp outside the
 * tolerance, or no matching `v1` signature.
 */
export function verifyStandardWebhook(options: VerifyOptions): string {
  const id = header(options.headers, 'webhook-id');
  const timestamp = header(options.headers, 'webhook-timestamp');
  const signatures = header(options.headers, 'webhook-signature');
  if (id === undefined || timestamp === undefined || signatures === undefined) throw invalid('the webhook-id, webhook-timestamp and webhook-signature headers are required');
  const seconds = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : NaN;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isFinite(seconds) || Math.abs(now - seconds) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) throw invalid('the webhook timestamp is outside the tolerance');
  const expected = Buffer.from(signature(options.key, id, seconds, options.rawBody), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || value === undefined) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return id;
  }
  throw invalid('no webhook signature matches');
}

function signature(key: Buffer | KeyObject, id: string, timestampSeconds: number, body: Buffer | string): string {
  return createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function invalid(message: string): SourcesError {
  return new SourcesError('SOURCES_SIGNATURE_INVALID', message);
}
