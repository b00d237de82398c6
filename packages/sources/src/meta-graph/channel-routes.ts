/**
 * `channels.<provider>.connect` and `.disconnect` of the Meta providers (Facebook Messenger,
 * Instagram, WhatsApp Cloud), with the host's auth (system token or user JWT). Each provider names
 * its id and token fields and its texts; the behaviour is the same for all three: the token is
 * stored in Channel.token only (never returned, never logged, never in channel metadata — Airy kept
 * it in metadata, where `channels.list` showed it); disconnecting sets the channel DISCONNECTED with
 * no token, so the router dead-letters its events and the connector fails its outbound messages.
 */
import { CHANNEL_METADATA_KEYS, channelId as deriveChannelId, COMMUNICATION_TOPICS, metadataId, metadataRecord, metadataSubject, type Channel } from '@parley/schemas';
import type { Log } from '@parley/streams';
import { z } from 'zod';
import { modelSerdes, parleyId, shortText } from '@parley/communication';
import { SourcesError } from '../errors.js';
import { defineRoute, type AnyRouteDefinition } from '../host/route-definition.js';
import type { SourceCatalog } from '../source-catalog.js';

const connectedChannel = z.strictObject({
  id: z.string(),
  source: z.string(),
  source_channel_id: z.string(),
  connected: z.boolean(),
  name: z.string().optional(),
  image_url: z.string().optional(),
});

/** A connect request: the provider's id and token fields, and the optional channel name and picture. */
type ConnectBody = Partial<Record<string, string>> & { name?: string; image_url?: string };

/** What one Meta provider's channel routes differ in. */
export interface MetaChannelRoutesSpec {
  /** The source name, also the `<provider>` of the route names (`facebook`). */
  source: string;
  /** The provider's name in error messages (`Facebook`). */
  displayName: string;
  /** The request field holding the provider's channel id (`page_id`), and the message when it is not digits. */
  idField: string;
  idMessage: string;
  /** The request field holding the secret token (`page_token`). */
  tokenField: string;
  connectSummary: string;
  connectDescription: string;
  connectExample: ConnectBody;
  disconnectSummary: string;
  /** A channel id for the disconnect example. */
  exampleChannel: string;
}

/** The routes; `log` and `catalog` are read once the host started. */
export function metaChannelRoutes(
  spec: MetaChannelRoutesSpec,
  log: () => Log,
  catalog: () => SourceCatalog,
  clock: () => number = Date.now,
): AnyRouteDefinition[] {
  const serdes = modelSerdes();
  const { source } = spec;
  // The field names vary by provider, so the body is typed as a record of strings.
  const request: z.ZodType<ConnectBody, ConnectBody> = z.object({
    [spec.idField]: z.string().regex(/^\d{1,32}$/, spec.idMessage),
    [spec.tokenField]: z.string().min(16).max(1024),
    name: shortText().optional(),
    image_url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  });
  return [
    defineRoute({
      name: `channels.${source}.connect`,
      summary: spec.connectSummary,
      description: spec.connectDescription,
      request,
      response: connectedChannel,
      successStatus: 201,
      example: spec.connectExample,
      async handler(_ctx, body) {
        const sourceChannelId = body[spec.idField] ?? '';
        const id = deriveChannelId(source, sourceChannelId);
        const now = clock();
        const subject = metadataSubject('channel', id);
        const metadata = [
          ...(body.name === undefined ? [] : [metadataRecord({ subject, key: CHANNEL_METADATA_KEYS.name, value: body.name, timestamp: now })]),
          ...(body.image_url === undefined ? [] : [metadataRecord({ subject, key: CHANNEL_METADATA_KEYS.imageUrl, value: body.image_url, timestamp: now })]),
        ];
        if (metadata.length > 0) await log().append(COMMUNICATION_TOPICS.metadata.name, metadata.map((r) => ({ key: Buffer.from(metadataId(r.subject, r.key)), value: serdes.metadata.serialize(r) })));
        const channel: Channel = { id, source, sourceChannelId, token: body[spec.tokenField] ?? null, connectionState: 'CONNECTED' };
        await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(id), value: serdes.channel.serialize(channel) }]);
        await catalog().refresh();
        return { id, source, source_channel_id: sourceChannelId, connected: true, ...(body.name === undefined ? {} : { name: body.name }), ...(body.image_url === undefined ? {} : { image_url: body.image_url }) };
      },
    }),
    defineRoute({
      name: `channels.${source}.disconnect`,
      summary: spec.disconnectSummary,
      request: z.object({ channel_id: parleyId }),
      response: null,
      errors: ['SOURCES_CHANNEL_NOT_FOUND'],
      example: { channel_id: spec.exampleChannel },
      async handler(_ctx, body) {
        await catalog().refresh();
        const current = catalog().channel(body.channel_id);
        if (current === undefined || current.source !== source) throw new SourcesError('SOURCES_CHANNEL_NOT_FOUND', `there is no ${spec.displayName} channel ${body.channel_id}`, { field: 'channel_id' });
        if (current.connectionState === 'DISCONNECTED') return;
        const next: Channel = { ...current, token: null, connectionState: 'DISCONNECTED' };
        await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(next.id), value: serdes.channel.serialize(next) }]);
        await catalog().refresh();
      },
    }),
  ];
}
