/**
 * `channels.google.connect` (an agent: its id, from `brands/{brand}/agents/{agent}`, is the
 * channel's `source_channel_id`) and `channels.google.disconnect`, with the system token or a user
 * JWT. Business Messages had no API to set the webhook: the URL is set in the Business
 * Communications console, which then posts the registration (webhook.ts).
 */
import { CHANNEL_METADATA_KEYS, channelId as deriveChannelId, COMMUNICATION_TOPICS, metadataId, metadataRecord, metadataSubject, type Channel } from '@parley/schemas';
import type { Log } from '@parley/streams';
import { z } from 'zod';
import { modelSerdes, parleyId } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../host/route-definition.js';
import { HostError } from '../host/host-error.js';
import { SourceCatalog } from '../source-catalog.js';
import { SourcesError } from '../errors.js';
import { GOOGLE_SOURCE } from './google-topics.js';

const channelJson = z.strictObject({ id: z.string(), source: z.literal('google'), source_channel_id: z.string(), name: z.string(), image_url: z.string().nullable(), connected: z.boolean() });

export interface GoogleChannelRoutesOptions {
  log: () => Log;
  clock?: () => number;
}

export function googleChannelRoutes(options: GoogleChannelRoutesOptions): AnyRouteDefinition[] {
  const clock = options.clock ?? Date.now;
  const serdes = modelSerdes();
  let catalog: SourceCatalog | undefined;
  const write = async (channel: Channel, metadata: Record<string, string | undefined> = {}) => {
    const subject = metadataSubject('channel', channel.id);
    const now = clock();
    const records = Object.entries(metadata)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([key, value]) => metadataRecord({ subject, key, value, timestamp: now }));
    try {
      await options.log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(channel.id), value: serdes.channel.serialize(channel) }]);
      if (records.length > 0) await options.log().append(COMMUNICATION_TOPICS.metadata.name, records.map((r) => ({ key: Buffer.from(metadataId(r.subject, r.key)), value: serdes.metadata.serialize(r) })));
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the channel; send again', { cause, retriable: true });
    }
  };
  return [
    defineRoute({
      name: 'channels.google.connect',
      summary: 'Connects a Google Business Messages agent (the service was shut down by Google on 2024-07-31)',
      request: z.object({ agent_id: z.string().min(1).max(256).regex(/^[^/\s]+$/, 'the agent id, without brands/…/agents/'), name: z.string().min(1).max(256), image_url: z.url({ protocol: /^https?$/ }).max(2048).optional() }),
      response: channelJson,
      successStatus: 201,
      errors: ['SOURCES_LOG_UNAVAILABLE'],
      example: { agent_id: 'a1b2c3d4-agent', name: 'Acme support' },
      async handler(_ctx, body) {
        const id = deriveChannelId(GOOGLE_SOURCE, body.agent_id);
        await write({ id, source: GOOGLE_SOURCE, sourceChannelId: body.agent_id, token: null, connectionState: 'CONNECTED' }, { [CHANNEL_METADATA_KEYS.name]: body.name, [CHANNEL_METADATA_KEYS.imageUrl]: body.image_url });
        return { id, source: 'google' as const, source_channel_id: body.agent_id, name: body.name, image_url: body.image_url ?? null, connected: true };
      },
    }),
    defineRoute({
      name: 'channels.google.disconnect',
      summary: 'Disconnects a Google Business Messages agent (204, also when already disconnected)',
      request: z.object({ channel_id: parleyId }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'SOURCES_LOG_UNAVAILABLE'],
      example: { channel_id: '3c4d5e6f-7a8b-5c9d-8e0f-1a2b3c4d5e6f' },
      async handler(_ctx, body) {
        catalog ??= new SourceCatalog(options.log(), serdes, clock);
        await catalog.refresh();
        const channel = catalog.channel(body.channel_id);
        if (channel === undefined || channel.source !== GOOGLE_SOURCE) throw new HostError('RUNTIME_NOT_FOUND', `there is no Google channel ${body.channel_id}`, { field: 'channel_id' });
        if (channel.connectionState !== 'DISCONNECTED') await write({ ...channel, token: null, connectionState: 'DISCONNECTED' });
      },
    }),
  ];
}
