/**
 * `GET|POST /webhooks/whatsapp`, the endpoint to enter as the Meta app's WhatsApp webhook.
 * GET: Meta's hub handshake (../meta-graph/hub-handshake.ts). POST: `X-Hub-Signature-256` over
 * the raw bytes (401 SOURCES_SIGNATURE_INVALID), the envelope validated (`object:
 * "whatsapp_business_account"`, 1–1000 entries; 400 SOURCES_INVALID_PAYLOAD), then the raw body
 * appended untouched to `source.whatsapp.events` keyed by the first change's phone number id;
 * 200 only after the append (503 SOURCES_LOG_UNAVAILABLE otherwise).
 */
import { AppendBatcher, type Log } from '@parley/streams';
import { SourcesError } from '../errors.js';
import { answerHubHandshake, verifyHubSignature } from '../meta-graph/index.js';
import type { WebhookRequest, WebhookResponse } from '../source-definition.js';
import type { WhatsAppConfig } from './whatsapp-config.js';
import { WHATSAPP_EVENTS_TOPIC } from './whatsapp-topics.js';
import { parseWhatsAppEnvelope } from './mapping.js';

/** Creates the webhook handler; `log` is read on the first POST (the log opens when the host starts). */
export function whatsappWebhook(config: WhatsAppConfig, log: () => Log, clock: () => number = Date.now): (request: WebhookRequest) => Promise<WebhookResponse> {
  let batcher: AppendBatcher | undefined;
  return async (request) => {
    if (request.method === 'GET') return answerHubHandshake(request, config.verifyToken, 'sources.whatsapp');
    verifyHubSignature(request.rawBody, request.headers, { appSecret: config.appSecret, acceptSha1: config.acceptSha1Signature });
    const envelope = parseWhatsAppEnvelope(request.rawBody);
    const key = envelope.entry[0]!.changes[0]?.value.metadata?.phone_number_id ?? envelope.entry[0]!.id;
    batcher ??= new AppendBatcher(log());
    try {
      await batcher.append(WHATSAPP_EVENTS_TOPIC, [{ key: Buffer.from(key), value: request.rawBody, timestamp: clock() }]);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the event; Meta will send it again', { cause, retriable: true });
    }
    return { status: 200, body: { ok: true } };
  };
}
