/**
 * `sources.webhook`: the framework-free handler integrators post inbound messages and metadata
 * to. Steps: the source token (`Authorization: Bearer psrc.<id>.<secret>`) is checked against the
 * stored hash in constant time; the body is validated (mapping.ts); the raw body is appended
 * untouched to `source.custom.events` under the source id; only then is the request answered
 * 200, with the ids the payload's messages map to (deterministic: a retry gets the same ones).
 * Routing (channel lookup, records) happens in the router topology, so a fixed router can
 * re-route the stored payloads.
 */
import { channelId as deriveChannelId, conversationId as deriveConversationId, messageId as deriveMessageId, type Source } from '@parley/schemas';
import { AppendBatcher, type Log } from '@parley/streams';
import { isSourcesError, SourcesError, type SourcesErrorCode } from '../errors.js';
import { bearerToken } from '../bearer-token.js';
import type { WebhookHandler, WebhookRequest, WebhookResponse } from '../source-definition.js';
import { CUSTOM_EVENTS_TOPIC } from './custom-topics.js';
import { assertMetadataKeys, parseCustomPayload, type CustomPayload } from './mapping.js';
import type { CustomSourceManager } from './source-management.js';

/** HTTP status of each error this handler answers with. */
export const WEBHOOK_ERROR_STATUS: Readonly<Partial<Record<SourcesErrorCode, number>>> = Object.freeze({
  SOURCES_TOKEN_MISSING: 401,
  SOURCES_TOKEN_INVALID: 403,
  SOURCES_INVALID_PAYLOAD: 400,
  SOURCES_LOG_UNAVAILABLE: 503,
});

export interface CustomWebhookOptions {
  manager: CustomSourceManager;
  log: Log;
  /** Milliseconds since the epoch, stamped on the raw record. Default `Date.now`. */
  clock?: () => number;
}

/** The ids a webhook answer reports per message. */
export interface AcceptedMessage {
  source_message_id: string;
  message_id: string;
  conversation_id: string;
  channel_id: string;
}

/**
 * Appends a validated payload's raw body for `source` and answers the ids its messages map to.
 * Shared by the webhook handler and the runtime's `POST /sources.webhook` route, which validates
 * the body with `customPayloadSchema` itself.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD (bad metadata keys), SOURCES_LOG_UNAVAILABLE.
 */
export type CustomPayloadAcceptor = (source: Pick<Source, 'id'>, payload: CustomPayload, rawBody: Buffer) => Promise<AcceptedMessage[]>;

/** Creates the acceptor of `sources.webhook` payloads (see CustomPayloadAcceptor). */
export function createCustomPayloadAcceptor(options: Pick<CustomWebhookOptions, 'log' | 'clock'>): CustomPayloadAcceptor {
  const clock = options.clock ?? Date.now;
  // Concurrent requests share one log append (one write, or one produce request on Kafka).
  const batcher = new AppendBatcher(options.log);
  return async (source, payload, rawBody) => {
    assertMetadataKeys(payload);
    try {
      await batcher.append(CUSTOM_EVENTS_TOPIC, [{ key: Buffer.from(source.id), value: rawBody, timestamp: clock() }]);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the payload; send it again', { cause, retriable: true });
    }
    return payload.messages.map((m) => {
      const channelId = deriveChannelId(source.id, m.source_channel_id);
      return {
        source_message_id: m.source_message_id,
        message_id: deriveMessageId(channelId, m.source_message_id),
        conversation_id: deriveConversationId(channelId, m.source_conversation_id),
        channel_id: channelId,
      };
    });
  };
}

/** Creates the `sources.webhook` handler. */
export function createCustomWebhookHandler(options: CustomWebhookOptions): WebhookHandler {
  const accept = createCustomPayloadAcceptor(options);
  return async (request: WebhookRequest): Promise<WebhookResponse> => {
    try {
      if (request.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: { message: 'use POST', code: 'SOURCES_INVALID_PAYLOAD' } };
      const source = await options.manager.authenticate(bearerToken(request.headers));
      const messages = await accept(source, parseCustomPayload(request.rawBody), request.rawBody);
      return { status: 200, body: { messages } };
    } catch (err) {
      if (!isSourcesError(err)) throw err;
      const status = WEBHOOK_ERROR_STATUS[err.code];
      if (status === undefined) throw err;
      const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer realm="parley-source"' } : status === 503 ? { 'retry-after': '1' } : {};
      return { status, headers, body: { message: err.message, code: err.code } };
    }
  };
}
