/**
 * `channels.whatsapp.connect` and `.disconnect`, with the host's auth (system token or user JWT).
 * The channel is a WhatsApp Business phone number (its Cloud API `phone_number_id`). The token is
 * stored in Channel.token only: never returned, never logged, never in channel metadata. Disconnecting sets the
 * channel DISCONNECTED with no token: the router dead-letters its events, the connector fails its
 * outbound messages.
 */
import { CHANNEL_METADATA_KEYS, channelId as deriveChannelId, COMMUNICATION_TOPICS, metadataId, metadataRecord, metadataSubject, type Channel } from '@parley/schemas';
import type { Log } from '@parley/streams';
import { z } from 'zod';
import { modelSerdes, parleyId, shortText } from '@parley/communication';
import { SourcesError } from '../errors.js';
import { defineRoute, type AnyRouteDefinition } from '../host/route-definition.js';
import { SourceCatalog } from '../source-catalog.js';
import { WHATSAPP_SOURCE } from './whatsapp-topics.js';

const EXAMPLE_CHANNEL = '7d3a2e0c-6b4f-5c8d-9e0f-0a1b2c3d4e5f';

const connectedChannel = z.strictObject({
  id: z.string(),
  source: z.string(),
  source_channel_id: z.string(),
  connected: z.boolean(),
  name: z.string().optional(),
  image_url: z.string().optional(),
});

/** The routes; `log` and `catalog` are read once the host started. */
export function whatsappChannelRoutes(log: () => Log, catalog: () => SourceCatalog, clock: () => number = Date.now): AnyRouteDefinition[] {
  const serdes = modelSerdes();
  return [
    defineRoute({
      name: 'channels.whatsapp.connect',
      summary: 'Connects a WhatsApp Business phone number (Cloud API) with an access token of its business',
      description:
        'The channel id is `channelId("whatsapp", phone_number_id)` (Airy Core\'s), so connecting the same number again updates it. `token` (a system user or long-lived user token with `whatsapp_business_messaging`) is kept as the channel\'s secret token: it is never returned. Subscribe the Meta app to the WhatsApp Business Account\'s `messages` webhook field.',
      request: z.object({
        phone_number_id: z.string().regex(/^\d{1,32}$/, 'a phone number id is digits'),
        token: z.string().min(16).max(1024),
        name: shortText().optional(),
        image_url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
      }),
      response: connectedChannel,
      successStatus: 201,
      example: { phone_number_id: '106540352242922', token: 'EAAG-example-system-user-token', name: 'Acme support' },
      async handler(_ctx, body) {
        const id = deriveChannelId(WHATSAPP_SOURCE, body.phone_number_id);
        const now = clock();
        const subject = metadataSubject('channel', id);
        const metadata = [
          ...(body.name === undefined ? [] : [metadataRecord({ subject, key: CHANNEL_METADATA_KEYS.name, value: body.name, timestamp: now })]),
          ...(body.image_url === undefined ? [] : [metadataRecord({ subject, key: CHANNEL_METADATA_KEYS.imageUrl, value: body.image_url, timestamp: now })]),
        ];
        if (metadata.length > 0) await log().append(COMMUNICATION_TOPICS.metadata.name, metadata.map((r) => ({ key: Buffer.from(metadataId(r.subject, r.key)), value: serdes.metadata.serialize(r) })));
        const channel: Channel = { id, source: WHATSAPP_SOURCE, sourceChannelId: body.phone_number_id, token: body.token, connectionState: 'CONNECTED' };
        await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(id), value: serdes.channel.serialize(channel) }]);
        await catalog().refresh();
        return { id, source: WHATSAPP_SOURCE, source_channel_id: body.phone_number_id, connected: true, ...(body.name === undefined ? {} : { name: body.name }), ...(body.image_url === undefined ? {} : { image_url: body.image_url }) };
      },
    }),
    defineRoute({
      name: 'channels.whatsapp.disconnect',
      summary: 'Disconnects a WhatsApp channel and forgets its token (204, also when already disconnected)',
      request: z.object({ channel_id: parleyId }),
      response: null,
      errors: ['SOURCES_CHANNEL_NOT_FOUND'],
      example: { channel_id: EXAMPLE_CHANNEL },
      async handler(_ctx, body) {
        await catalog().refresh();
        const current = catalog().channel(body.channel_id);
        if (current === undefined || current.source !== WHATSAPP_SOURCE) throw new SourcesError('SOURCES_CHANNEL_NOT_FOUND', `there is no WhatsApp channel ${body.channel_id}`, { field: 'channel_id' });
        if (current.connectionState === 'DISCONNECTED') return;
        const next: Channel = { ...current, token: null, connectionState: 'DISCONNECTED' };
        await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(next.id), value: serdes.channel.serialize(next) }]);
        await catalog().refresh();
      },
    }),
  ];
}
