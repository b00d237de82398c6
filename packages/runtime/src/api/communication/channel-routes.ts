import { CHANNEL_METADATA_KEYS, metadataSubject } from '@parley/schemas';
import { z } from 'zod';
import { writeMetadata, type MetadataWrite, channelSchema, listSchema, parleyId, shortText } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_CHANNEL = '3c4d5e6f-7a8b-5c9d-8e0f-1a2b3c4d5e6f';

/** `channels.list`, `channels.info`, `channels.update`. Connecting channels is each source's business. */
export function channelRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'channels.list',
      summary: 'Known channels, by source then id',
      description: 'Every known channel unless filtered (Airy listed connected ones only: pass `connected: true` for that). Tokens are never returned.',
      request: z.object({
        source: z.string().min(1).optional().describe('Only channels of this source'),
        connected: z.boolean().optional().describe('Only connected (true) or only disconnected (false) channels'),
      }),
      response: listSchema(channelSchema),
      errors: ['RUNTIME_NOT_READY'],
      example: { connected: true },
      handler: (_ctx, body) => ({
        data: api.readModel.listChannels({ ...(body.source === undefined ? {} : { source: body.source }), ...(body.connected === undefined ? {} : { connected: body.connected }) }),
      }),
    }),
    defineRoute({
      name: 'channels.info',
      summary: 'One channel',
      request: z.object({ channel_id: parleyId }),
      response: channelSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { channel_id: EXAMPLE_CHANNEL },
      handler: (_ctx, body) => api.readModel.channelInfo(body.channel_id),
    }),
    defineRoute({
      name: 'channels.update',
      summary: "Sets a channel's display name and picture (channel metadata `name`, `image_url`)",
      request: z.object({
        channel_id: parleyId,
        name: shortText().optional(),
        image_url: z.url().max(2048).optional().describe('URL of the channel picture'),
      }),
      response: channelSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { channel_id: EXAMPLE_CHANNEL, name: 'Support page' },
      async handler(ctx, body) {
        api.readModel.channelInfo(body.channel_id); // 404 for an unknown channel
        const writes: MetadataWrite[] = [];
        if (body.name !== undefined) writes.push({ key: CHANNEL_METADATA_KEYS.name, value: body.name });
        if (body.image_url !== undefined) writes.push({ key: CHANNEL_METADATA_KEYS.imageUrl, value: body.image_url });
        if (writes.length > 0) {
          const written = await writeMetadata(api.commands(ctx), metadataSubject('channel', body.channel_id), writes);
          await api.settle(ctx, written.offsets);
        }
        return api.readModel.channelInfo(body.channel_id);
      },
    }),
  ];
}
