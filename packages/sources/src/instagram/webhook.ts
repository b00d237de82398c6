/**
 * `GET|POST /webhooks/instagram`, the endpoint to enter as the Meta app's Instagram webhook.
 * GET: Meta's hub handshake (../meta-graph/hub-handshake.ts). POST: `X-Hub-Signature-256` over
 * the raw bytes (401 SOURCES_SIGNATURE_INVALID), the envelope validated (`object: "instagram"`,
 * 1–1000 entries; 400 SOURCES_INVALID_PAYLOAD), then the raw body appended untouched to
 * `source.instagram.events` keyed by the first entry's account id; 200 only after the append
 * (503 SOURCES_LOG_UNAVAILABLE otherwise). Nothing is written before both checks passed.
 */
import { AppendBatcher, type Log } from '@parley/streams';
import { SourcesError } from '../errors.js';
import { answerHubHandshake, verifyHubSignature } from '../meta-graph/index.js';
import type { WebhookRequest, WebhookResponse } from '../source-definition.js';
import type { InstagramConfig } from './instagram-config.js';
import { INSTAGRAM_EVENTS_TOPIC } from './instagram-topics.js';
import { parseInstagramEnvelope } from './mapping.js';

/** Creates the webhook handler; `log` is read on the first POST (the log opens when the host starts). */
export function instagramWebhook(config: InstagramConfig, log: () => Log, clock: () => number = Date.now): (request: WebhookRequest) => Promise<WebhookResponse> {
  let batcher: AppendBatcher | undefined;
  return async (request) => {
    if (request.method === 'GET') return answerHubHandshake(request, config.verifyToken, 'sources.instagram');
    verifyHubSignature(request.rawBody, request.headers, { appSecret: config.appSecret, acceptSha1: config.acceptSha1Signature });
    const envelope = parseInstagramEnvelope(request.rawBody);
    batcher ??= new AppendBatcher(log());
    try {
      await batcher.append(INSTAGRAM_EVENTS_TOPIC, [{ key: Buffer.from(envelope.entry[0]!.id), value: request.rawBody, timestamp: clock() }]);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the event; Meta will send it again', { cause, retriable: true });
    }
    return { status: 200, body: { ok: true } };
  };
}
