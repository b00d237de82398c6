/**
 * `GET|POST /webhooks/facebook`, the endpoint to enter as the Meta app's Messenger webhook.
 *
 * - GET is Meta's verification handshake: `hub.mode=subscribe` and `hub.verify_token` equal to
 *   `verifyToken` (constant-time) → 200 with `hub.challenge` as the body; anything else → 403
 *   SOURCES_TOKEN_INVALID (Airy answered 200 with `0`).
 * - POST is checked against `X-Hub-Signature-256` over the raw bytes (../meta-graph/hub-signature.ts; 401
 *   SOURCES_SIGNATURE_INVALID), then the envelope is validated (`object: "page"`, 1–1000 entries;
 *   400 SOURCES_INVALID_PAYLOAD) and the raw body is appended untouched to `source.facebook.events`
 *   keyed by the first entry's page id. 200 only after the append resolved (503
 *   SOURCES_LOG_UNAVAILABLE otherwise), so Meta retries whatever was not stored. Nothing is
 *   written before both checks passed.
 */
import { AppendBatcher, type Log } from '@parley/streams';
import { SourcesError } from '../errors.js';
import type { WebhookRequest, WebhookResponse } from '../source-definition.js';
import type { FacebookConfig } from './facebook-config.js';
import { FACEBOOK_EVENTS_TOPIC } from './facebook-topics.js';
import { answerHubHandshake, verifyHubSignature } from '../meta-graph/index.js';
import { parseFacebookEnvelope } from './mapping.js';

/** Creates the webhook handler; `log` is read on the first POST (the log opens when the host starts). */
export function facebookWebhook(config: FacebookConfig, log: () => Log, clock: () => number = Date.now): (request: WebhookRequest) => Promise<WebhookResponse> {
  let batcher: AppendBatcher | undefined;
  return async (request) => {
    if (request.method === 'GET') return answerHubHandshake(request, config.verifyToken, 'sources.facebook');
    verifyHubSignature(request.rawBody, request.headers, { appSecret: config.appSecret, acceptSha1: config.acceptSha1Signature });
    const envelope = parseFacebookEnvelope(request.rawBody);
    batcher ??= new AppendBatcher(log());
    try {
      await batcher.append(FACEBOOK_EVENTS_TOPIC, [{ key: Buffer.from(envelope.entry[0]!.id), value: request.rawBody, timestamp: clock() }]);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the event; Meta will send it again', { cause, retriable: true });
    }
    return { status: 200, body: { ok: true } };
  };
}
