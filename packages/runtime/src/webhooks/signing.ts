/**
 * Webhook secrets and signatures. The signature itself is `@parley/sources`' Standard Webhooks
 * implementation (the one custom sources use); this adds secret generation and signing with
 * both secrets during a rotation.
 */
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { decodeSigningSecret, encodeSigningSecret, signStandardWebhook } from '@parley/sources';
import type { Webhook } from '@parley/schemas';

/** A new `whsec_` secret: 32 random bytes (the spec asks for 24–64). */
export function generateSigningSecret(): string {
  return encodeSigningSecret(randomBytes(32));
}

/** The secrets that sign a delivery now: the current one, and the previous one until it expires. */
export function activeSecrets(webhook: Webhook, now: number): string[] {
  const secrets: string[] = [];
  if (webhook.signKey !== null) secrets.push(webhook.signKey);
  if (webhook.previousSignKey !== null && (webhook.previousSignKeyUntil ?? 0) > now) secrets.push(webhook.previousSignKey);
  return secrets;
}

/** Secrets in use → their HMAC keys, decoded and imported once rather than for every delivery. */
const keys = new Map<string, KeyObject>();
/** Bound of `keys` (a rotation leaves old secrets behind): it is emptied when full. */
const MAX_KEYS = 1000;

function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(secret, (key = createSecretKey(decodeSigningSecret(secret))));
  }
  return key;
}

/**
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` (one `v1,` signature per secret,
 * space-separated) for `body`, the exact bytes sent; no signature header without a secret.
 */
export function signatureHeaders(eventId: string, body: Buffer | string, secrets: readonly string[], nowMs: number): Record<string, string> {
  const timestampSeconds = Math.floor(nowMs / 1000);
  if (secrets.length === 0) return { 'webhook-id': eventId, 'webhook-timestamp': String(timestampSeconds) };
  const signatures = secrets.map((s) => signStandardWebhook({ id: eventId, timestampSeconds, body, key: hmacKey(s) })['webhook-signature']);
  return { 'webhook-id': eventId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signatures.join(' ') };
}
