/**
 * `channels.chatplugin.connect`, `.update`, `.disconnect`: managing chat plugin channels, with
 * the system token or a user JWT like every management route. Each waits (bounded) until the
 * communication read model shows the change, so `channels.list` right after includes it.
 */
import { CHANNEL_METADATA_KEYS, metadataSubject, type Channel, type JsonObject } from '@parley/schemas';
import { z } from 'zod';
import { channelSchema, isCommunicationError, parleyId, renderChannel, shortText } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition, type RouteContext } from '../host/route-definition.js';
import type { ChatWrite } from './chatplugin-service.js';
import { translated } from './chatplugin-errors.js';
import type { ChatPluginRouteContext } from './visitor-routes.js';

const EXAMPLE_CHANNEL = '3c4d5e6f-7a8b-5c9d-8e0f-1a2b3c4d5e6f';
const imageUrl = z.url({ protocol: /^https?$/ }).max(2048).describe('URL of the picture the widget shows');

export function channelRoutes(ctx: ChatPluginRouteContext): AnyRouteDefinition[] {
  /** The channel as channels.info shows it, once the read model has the write (else as written). */
  const settled = async (handler: RouteContext, write: ChatWrite<Channel>, written: JsonObject): Promise<z.input<typeof channelSchema>> => {
    await ctx.api.settle(handler, write.offsets);
    try {
      return ctx.api.readModel.channelInfo(write.value.id);
    } catch (err) {
      if (!isCommunicationError(err, 'RUNTIME_NOT_FOUND')) throw err;
      return renderChannel(write.value, written);
    }
  };
  return [
    defineRoute({
      name: 'channels.chatplugin.connect',
      summary: 'Connects a website chat plugin channel (its id goes into the widget)',
      description: 'The channel gets a random `source_channel_id` and the id `channelId("chatplugin", source_channel_id)`; `name` and `image_url` are channel metadata.',
      request: z.object({ name: shortText(), image_url: imageUrl.optional() }),
      response: channelSchema,
      successStatus: 201,
      errors: ['RUNTIME_NOT_READY'],
      example: { name: 'Website chat', image_url: 'https://acme.example/logo.png' },
      async handler(handler, body) {
        const write = await translated(() => ctx.service().connectChannel({ name: body.name, ...(body.image_url === undefined ? {} : { imageUrl: body.image_url }) }));
        return settled(handler, write, { name: body.name, ...(body.image_url === undefined ? {} : { image_url: body.image_url }) });
      },
    }),
    defineRoute({
      name: 'channels.chatplugin.update',
      summary: "Sets a chat plugin channel's name or picture",
      request: z.object({ channel_id: parleyId, name: shortText().optional(), image_url: imageUrl.optional() }),
      response: channelSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { channel_id: EXAMPLE_CHANNEL, name: 'Shop chat' },
      async handler(handler, body) {
        const write = await translated(() =>
          ctx.service().updateChannel({ channelId: body.channel_id, ...(body.name === undefined ? {} : { name: body.name }), ...(body.image_url === undefined ? {} : { imageUrl: body.image_url }) }),
        );
        const written: JsonObject = ctx.api.readModel.attached ? { ...ctx.api.readModel.metadata(metadataSubject('channel', body.channel_id)) } : {};
        if (body.name !== undefined) written[CHANNEL_METADATA_KEYS.name] = body.name;
        if (body.image_url !== undefined) written[CHANNEL_METADATA_KEYS.imageUrl] = body.image_url;
        return settled(handler, write, written);
      },
    }),
    defineRoute({
      name: 'channels.chatplugin.disconnect',
      summary: 'Disconnects a chat plugin channel: its widgets can no longer chat, open sockets are closed (204, also when already disconnected)',
      request: z.object({ channel_id: parleyId }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { channel_id: EXAMPLE_CHANNEL },
      async handler(handler, body) {
        const write = await translated(() => ctx.service().disconnectChannel(body.channel_id));
        await ctx.api.settle(handler, write.offsets);
      },
    }),
  ];
}
