/**
 * `POST /webhooks/viber`: Viber's callbacks. The signature `X-Viber-Content-Signature` is the hex
 * HMAC-SHA256 of the raw body keyed with the bot's auth token, checked over the raw bytes in
 * constant time (401 SOURCES_SIGNATURE_INVALID when missing, malformed or wrong). A signed body
 * is validated (400 SOURCES_INVALID_PAYLOAD, nothing stored) and appended untouched to
 * `source.viber.events`; only then is it answered 200 (503 SOURCES_LOG_UNAVAILABLE otherwise:
 * Viber retries for an hour). The answer to `conversation_started` carries the configured welcome
 * message (`{ sender, …welcomeMessage }`), the one message a bot may send before the user has
 * subscribed. The `webhook` check Viber sends while `set_webhook` runs needs no channel yet.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppendBatcher, type Log } from '@parley/streams';
import { SourcesError } from '../errors.js';
import type { WebhookHandler } from '../source-definition.js';
import type { ConfiguredViber } from './config.js';
import { parseViberEvent } from './mapping.js';
import { VIBER_EVENTS_TOPIC } from './viber-topics.js';

export const VIBER_SIGNATURE_HEADER = 'x-viber-content-signature';

/** The signature Viber sends for `body`: hex HMAC-SHA256 keyed with the auth token. */
export function viberSignature(authToken: string, body: Buffer | string): string {
  return createHmac('sha256', authToken).update(body).digest('hex');
}

/** True when `header` is the body's signature (64 hex digits, any case), compared in constant time. */
export function verifyViberSignature(authToken: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !/^[0-9a-fA-F]{64}$/.test(header)) return false;
  const given = Buffer.from(header, 'hex');
  const expected = createHmac('sha256', authToken).update(body).digest();
  return timingSafeEqual(given, expected);
}

export interface ViberWebhookOptions {
  config: ConfiguredViber;
  /** The open log (called on the first request: the host opens it at start). */
  log: () => Log;
  /** Stamped on the raw record. Default `Date.now`. */
  clock?: () => number;
}

export function viberWebhook(options: ViberWebhookOptions): WebhookHandler {
  const { config } = options;
  const clock = options.clock ?? Date.now;
  let batcher: AppendBatcher | undefined;
  return async (request) => {
    if (!verifyViberSignature(config.authToken, request.rawBody, request.headers[VIBER_SIGNATURE_HEADER])) {
      throw new SourcesError('SOURCES_SIGNATURE_INVALID', `${VIBER_SIGNATURE_HEADER} is missing or does not match the body`);
    }
    const event = parseViberEvent(request.rawBody);
    batcher ??= new AppendBatcher(options.log());
    try {
      await batcher.append(VIBER_EVENTS_TOPIC, [{ key: null, value: request.rawBody, timestamp: clock() }]);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the callback; Viber sends it again', { cause, retriable: true });
    }
    if (event.event === 'conversation_started' && config.welcomeMessage !== undefined) {
      return { status: 200, body: { sender: config.sender, ...config.welcomeMessage } };
    }
    return { status: 200, body: { status: 0 } };
  };
}
