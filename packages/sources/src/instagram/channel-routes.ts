/**
 * `channels.instagram.connect` and `.disconnect`, with the host's auth (system token or user JWT).
 * An Instagram professional account is reached through the Facebook page it is linked to: the
 * channel is the account (`channelId("instagram", account_id)`, Airy Core's id), its token the
 * page's access token. The page token is stored in Channel.token only: never returned, never logged, never in channel
 * metadata (Airy kept it in metadata, where `channels.list` showed it). Disconnecting sets the
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
import { INSTAGRAM_SOURCE } from './instagram-topics.js';

const EXAMPLE_CHANNEL = '6c2f1d9b-5a3e-5b7c-8d9e-9f0a1b2c3d4e';

const connectedChannel = z.strictObject({
  id: z.string(),
  source: z.string(),
  source_channel_id: z.string(),
  connected: z.boolean(),
  name: z.string().optional(),
  image_url: z.string().optional(),
});

/** The routes; `log` and `catalog` are read once the host started. */
export function instagramChannelRoutes(log: () => Log, catalog: () => SourceCatalog, clock: () => number = Date.now): AnyRouteDefinition[] {
  const serdes = modelSerdes();
  return [
    defineRoute({
      name: 'channels.instagram.connect',
      summary: 'Connects an Instagram professional account with the access token of its linked Facebook page',
      description:
        'The channel id is `channelId("instagram", account_id)` (Airy Core\'s), so connecting the same account again updates it. `page_token` (of the Facebook page the account is linked to) is kept as the channel\'s secret token: it is never returned. Subscribe the Meta app to the Instagram webhook fields `messages`, `messaging_postbacks`, `message_reactions`, `messaging_referral` and `messaging_seen`.',
      request: z.object({
        account_id: z.string().regex(/^\d{1,32}$/, 'an Instagram account id is digits'),
        page_token: z.string().min(16).max(1024),
        name: shortText().optional(),
        image_url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
      }),
      response: connectedChannel,
      successStatus: 201,
      example: { account_id: '17841400000000000', page_token: 'EAAG-example-page-token', name: 'Acme on Instagram' },
      async handler(_ctx, body) {
        const id = deriveChannelId(INSTAGRAM_SOURCE, body.account_id);
        const now = clock();
        const subject = metadataSubject('channel', id);
        const metadata = [
          ...(body.name === undefined ? [] : [metadataRecord({ subject, key: CHANNEL_METADATA_KEYS.name, value: body.name, timestamp: now })]),
          ...(body.image_url === undefined ? [] : [metadataRecord({ subject, key: CHANNEL_METADATA_KEYS.imageUrl, value: body.image_url, timestamp: now })]),
        ];
        if (metadata.length > 0) await log().append(COMMUNICATION_TOPICS.metadata.name, metadata.map((r) => ({ key: Buffer.from(metadataId(r.subject, r.key)), value: serdes.metadata.serialize(r) })));
        const channel: Channel = { id, source: INSTAGRAM_SOURCE, sourceChannelId: body.account_id, token: body.page_token, connectionState: 'CONNECTED' };
        await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(id), value: serdes.channel.serialize(channel) }]);
        await catalog().refresh();
        return { id, source: INSTAGRAM_SOURCE, source_channel_id: body.account_id, connected: true, ...(body.name === undefined ? {} : { name: body.name }), ...(body.image_url === undefined ? {} : { image_url: body.image_url }) };
      },
    }),
    defineRoute({
      name: 'channels.instagram.disconnect',
      summary: 'Disconnects a Instagram channel and forgets its page token (204, also when already disconnected)',
      request: z.object({ channel_id: parleyId }),
      response: null,
      errors: ['SOURCES_CHANNEL_NOT_FOUND'],
      example: { channel_id: EXAMPLE_CHANNEL },
      async handler(_ctx, body) {
        await catalog().refresh();
        const current = catalog().channel(body.channel_id);
        if (current === undefined || current.source !== INSTAGRAM_SOURCE) throw new SourcesError('SOURCES_CHANNEL_NOT_FOUND', `there is no Instagram channel ${body.channel_id}`, { field: 'channel_id' });
        if (current.connectionState === 'DISCONNECTED') return;
        const next: Channel = { ...current, token: null, connectionState: 'DISCONNECTED' };
        await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(next.id), value: serdes.channel.serialize(next) }]);
        await catalog().refresh();
      },
    }),
  ];
}
