/**
 * The Twilio webhook (`POST /webhooks/twilio-sms`, `/webhooks/twilio-whatsapp`): inbound messages
 * and the status callbacks of our outbound messages. The signature is checked over the raw bytes
 * against the configured `publicUrl` plus the query Twilio called with; the raw body is appended
 * untouched to `source.<provider>.events`, and only then answered with empty TwiML, so Twilio
 * retries whatever was not stored.
 *
 * Record key: a status callback's URL names our message (`?message_id=<id>`, set by the connector
 * in `StatusCallback` and covered by the signature), which becomes the key; an inbound message is
 * keyed by its `MessageSid`.
 */
import { AppendBatcher, type Log } from '@parley/streams';
import { SourcesError } from '../errors.js';
import type { WebhookDefinition } from '../host/provider-host.js';
import type { WebhookRequest } from '../source-definition.js';
import type { TwilioConfig } from './twilio-config.js';
import type { TwilioNames } from './twilio-names.js';
import { formParams, verifyTwilioSignature } from './twilio-signature.js';

/** Twilio's "no reply": empty TwiML. */
export const EMPTY_TWIML = '<Response></Response>';

/** The query parameter of our status callback URL naming the outbound message. */
export const STATUS_CALLBACK_MESSAGE_PARAM = 'message_id';

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * The URL Twilio called: `publicUrl` plus the request's query, re-encoded in the order received
 * (Twilio's own parameters and ours are URL-safe, so re-encoding gives back the bytes it signed).
 */
export function calledUrl(publicUrl: string, query: WebhookRequest['query']): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) search.append(name, v);
  const text = search.toString();
  return text.length === 0 ? publicUrl : `${publicUrl}${publicUrl.includes('?') ? '&' : '?'}${text}`;
}

export function twilioWebhook(names: TwilioNames, config: TwilioConfig, log: () => Log): WebhookDefinition {
  let batcher: AppendBatcher | undefined;
  return {
    provider: names.provider,
    methods: ['POST'],
    async handle(request) {
      const url = calledUrl(config.publicUrl, request.query);
      const header = single(request.headers['x-twilio-signature']);
      if (!verifyTwilioSignature(config.authToken, url, request.rawBody, header, single(request.query.bodySHA256))) {
        throw new SourcesError('SOURCES_SIGNATURE_INVALID', `x-twilio-signature does not sign ${config.publicUrl} and this body with the auth token`);
      }
      const messageIdParam = single(request.query[STATUS_CALLBACK_MESSAGE_PARAM]);
      const key = messageIdParam ?? formParams(request.rawBody.toString('utf8')).get('MessageSid')?.[0] ?? null;
      batcher ??= new AppendBatcher(log());
      try {
        await batcher.append(names.eventsTopic, [{ key: key === null ? null : Buffer.from(key), value: request.rawBody }]);
      } catch (cause) {
        throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the event; Twilio sends it again', { cause, retriable: true });
      }
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: EMPTY_TWIML };
    },
  };
}
