/**
 * The core of `sources.webhook` (routes.ts), the one door integrators post inbound messages and
 * metadata to. The route checks the source token (`Authorization: Bearer psrc.<id>.<secret>`,
 * CustomSourceManager.authenticate) and validates the body (mapping.ts); the acceptor appends the
 * raw body untouched to `source.custom.events` under the source id, through the AppendBatcher;
 * only then is the request answered 200, with the ids the payload's messages map to
 * (deterministic: a retry gets the same ones). Routing (channel lookup, records) happens in the
 * router topology, so a fixed router can re-route the stored payloads.
 */
import { channelId as deriveChannelId, type Source } from '@parley/schemas';
import { AppendBatcher, type Log } from '@parley/streams';
import { SourcesError } from '../errors.js';
import { customConversationId, customMessageId, ID_SCHEME_HEADER } from './custom-ids.js';
import { CUSTOM_EVENTS_TOPIC } from './custom-topics.js';
import { assertMetadataKeys, type CustomPayload } from './mapping.js';

export interface CustomPayloadAcceptorOptions {
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
 * The `POST /sources.webhook` route validates the body with `customPayloadSchema` first.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD (bad metadata keys), SOURCES_LOG_UNAVAILABLE.
 */
export type CustomPayloadAcceptor = (source: Pick<Source, 'id'> & Partial<Pick<Source, 'idScheme'>>, payload: CustomPayload, rawBody: Buffer) => Promise<AcceptedMessage[]>;

/** Creates the acceptor of `sources.webhook` payloads (see CustomPayloadAcceptor). */
export function createCustomPayloadAcceptor(options: CustomPayloadAcceptorOptions): CustomPayloadAcceptor {
  const clock = options.clock ?? Date.now;
  // Concurrent requests share one log append (one write, or one produce request on Kafka).
  const batcher = new AppendBatcher(options.log);
  return async (source, payload, rawBody) => {
    const scheme = source.idScheme ?? 'PARLEY';
    assertMetadataKeys(payload, scheme);
    // The scheme travels with the raw record (the payload itself stays untouched) for the router.
    const headers = scheme === 'PARLEY' ? {} : { headers: { [ID_SCHEME_HEADER]: Buffer.from(scheme) } };
    try {
      await batcher.append(CUSTOM_EVENTS_TOPIC, [{ key: Buffer.from(source.id), value: rawBody, timestamp: clock(), ...headers }]);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the payload; send it again', { cause, retriable: true });
    }
    return payload.messages.map((m) => {
      const channelId = deriveChannelId(source.id, m.source_channel_id);
      return {
        source_message_id: m.source_message_id,
        message_id: customMessageId(scheme, source.id, channelId, m.source_message_id),
        conversation_id: customConversationId(scheme, source.id, channelId, m.source_conversation_id),
        channel_id: channelId,
      };
    });
  };
}
