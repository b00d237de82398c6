/**
 * Webhook secrets and signatures. The signature itself is `@parley/sources`' Standard Webhooks
 * implementation (the one custom sources use); this adds secret generation and signing with
 * both secrets during a rotation.
 */
import { randomBytes } from 'node:crypto';
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

/**
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` (one `v1,` signature per secret,
 * space-separated); no signature header without a secret.
 */
export function signatureHeaders(eventId: string, body: string, secrets: readonly string[], nowMs: number): Record<string, string> {
  const timestampSeconds = Math.floor(nowMs / 1000);
  if (secrets.length === 0) return { 'webhook-id': eventId, 'webhook-timestamp': String(timestampSeconds) };
  const signatures = secrets.map((s) => signStandardWebhook({ id: eventId, timestampSeconds, body, key: decodeSigningSecret(s) })['webhook-signature']);
  return { 'webhook-id': eventId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signatures.join(' ') };
}
