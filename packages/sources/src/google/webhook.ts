/**
 * `POST /webhooks/google`: Google Business Messages' registration and events.
 *
 * - Registration: setting the webhook URL in the Business Communications console posts
 *   `{ "clientToken", "secret" }`; when `clientToken` matches the configured one (constant time)
 *   the answer is 200 with the `secret` as plain text, else 401. Nothing is stored.
 * - Events: `X-Goog-Signature` = base64 HMAC-SHA512 of the raw body keyed with the client token,
 *   checked over the raw bytes in constant time (401 SOURCES_SIGNATURE_INVALID); the body is
 *   validated (400 SOURCES_INVALID_PAYLOAD, nothing stored), appended untouched to
 *   `source.google.events`, then answered 200 (503 SOURCES_LOG_UNAVAILABLE otherwise: Google
 *   retries for up to 7 days).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppendBatcher, type Log } from '@parley/streams';
import { SourcesError } from '../errors.js';
import type { WebhookHandler } from '../source-definition.js';
import type { ConfiguredGoogle } from './config.js';
import { googleRegistrationSchema, parseGoogleEvent } from './mapping.js';
import { GOOGLE_EVENTS_TOPIC } from './google-topics.js';

export const GOOGLE_SIGNATURE_HEADER = 'x-goog-signature';

/** The signature Google sends for `body`: base64 HMAC-SHA512 keyed with the client token. */
export function googleSignature(clientToken: string, body: Buffer | string): string {
  return createHmac('sha512', clientToken).update(body).digest('base64');
}

/** True when `header` is the body's signature (canonical base64 of 64 bytes), compared in constant time. */
export function verifyGoogleSignature(clientToken: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(header)) return false;
  const given = Buffer.from(header, 'base64');
  const expected = createHmac('sha512', clientToken).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The registration body, when `rawBody` is one (`{ clientToken, secret }` and nothing else). */
function registrationOf(rawBody: Buffer): { clientToken: string; secret: string } | undefined {
  try {
    const parsed = googleRegistrationSchema.safeParse(JSON.parse(rawBody.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface GoogleWebhookOptions {
  config: ConfiguredGoogle;
  log: () => Log;
  clock?: () => number;
}

export function googleWebhook(options: GoogleWebhookOptions): WebhookHandler {
  const { config } = options;
  const clock = options.clock ?? Date.now;
  let batcher: AppendBatcher | undefined;
  return async (request) => {
    const registration = request.headers[GOOGLE_SIGNATURE_HEADER] === undefined ? registrationOf(request.rawBody) : undefined;
    if (registration !== undefined) {
      if (!sameText(registration.clientToken, config.clientToken)) throw new SourcesError('SOURCES_SIGNATURE_INVALID', 'the registration clientToken is not the configured one');
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: registration.secret };
    }
    if (!verifyGoogleSignature(config.clientToken, request.rawBody, request.headers[GOOGLE_SIGNATURE_HEADER])) {
      throw new SourcesError('SOURCES_SIGNATURE_INVALID', `${GOOGLE_SIGNATURE_HEADER} is missing or does not match the body`);
    }
    parseGoogleEvent(request.rawBody);
    batcher ??= new AppendBatcher(options.log());
    try {
      await batcher.append(GOOGLE_EVENTS_TOPIC, [{ key: null, value: request.rawBody, timestamp: clock() }]);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the event; Google sends it again', { cause, retriable: true });
    }
    return { status: 200, body: {} };
  };
}
