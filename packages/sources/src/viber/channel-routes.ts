/**
 * `channels.viber.connect` and `channels.viber.disconnect` (system token or user JWT).
 *
 * Connect reads the bot account (`get_account_info`: its id becomes the channel's
 * `source_channel_id`, its name and icon the channel's defaults), sets the bot's webhook to
 * `webhookUrl` (`set_webhook` with every event type; Viber checks it at once with a signed
 * `webhook` callback, which must be answered 200), then writes the channel CONNECTED with its
 * `name` and `image_url` metadata. Disconnect writes the channel DISCONNECTED, then removes the
 * webhook (`set_webhook` with an empty URL); when Viber refuses that, the answer is 502 and calling
 * again retries it. Viber errors answer 502 SOURCES_PROVIDER_API_FAILED naming Viber's reason.
 */
import { CHANNEL_METADATA_KEYS, channelId as deriveChannelId, COMMUNICATION_TOPICS, metadataId, metadataRecord, metadataSubject, type Channel } from '@parley/schemas';
import type { Log } from '@parley/streams';
import { z } from 'zod';
import { modelSerdes, parleyId } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../host/route-definition.js';
import { HostError } from '../host/host-error.js';
import { SourceCatalog } from '../source-catalog.js';
import { SourcesError } from '../errors.js';
import type { ConfiguredViber } from './config.js';
import { callViber, type ViberApiOptions } from './viber-api.js';
import { VIBER_SOURCE } from './viber-topics.js';

/** The callbacks `set_webhook` subscribes to (`message`, `subscribed`, `unsubscribed`, `conversation_started` come always; Viber lists these). */
export const VIBER_WEBHOOK_EVENT_TYPES = ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'] as const;

const channelJson = z.strictObject({
  id: z.string(),
  source: z.literal(VIBER_SOURCE),
  source_channel_id: z.string(),
  name: z.string().nullable(),
  image_url: z.string().nullable(),
  connected: z.boolean(),
});

const text = z.string().min(1).max(256);
const imageUrl = z.url({ protocol: /^https?$/ }).max(2048);

export interface ViberChannelRoutesOptions {
  config: ConfiguredViber;
  log: () => Log;
  fetch?: typeof fetch;
  clock?: () => number;
}

export function viberChannelRoutes(options: ViberChannelRoutesOptions): AnyRouteDefinition[] {
  const { config } = options;
  const clock = options.clock ?? Date.now;
  const serdes = modelSerdes();
  const api: ViberApiOptions = { apiUrl: config.apiUrl, authToken: config.authToken, fetch: options.fetch, timeoutMs: config.delivery.timeoutMs, retryDelaysMs: [] };
  let catalog: SourceCatalog | undefined;

  const writeChannel = async (channel: Channel, metadata: Record<string, string | undefined> = {}) => {
    const log = options.log();
    const now = clock();
    const subject = metadataSubject('channel', channel.id);
    const records = Object.entries(metadata)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => metadataRecord({ subject, key, value, timestamp: now }));
    try {
      await log.append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(channel.id), value: serdes.channel.serialize(channel) }]);
      if (records.length > 0) {
        await log.append(COMMUNICATION_TOPICS.metadata.name, records.map((r) => ({ key: Buffer.from(metadataId(r.subject, r.key)), value: serdes.metadata.serialize(r) })));
      }
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the channel; send again', { cause, retriable: true });
    }
  };

  return [
    defineRoute({
      name: 'channels.viber.connect',
      summary: "Connects the configured Viber bot: sets its webhook and writes its channel",
      description:
        'Reads the bot account with `get_account_info` (its id is the `source_channel_id`), sets the webhook to `sources.viber.webhookUrl` with `set_webhook`, and writes the channel. ' +
        '`name` and `image_url` default to the bot\'s. 502 `SOURCES_PROVIDER_API_FAILED` when Viber refuses (a wrong auth token, an unreachable webhook URL).',
      request: z.object({ name: text.optional(), image_url: imageUrl.optional() }),
      response: channelJson,
      successStatus: 201,
      errors: ['SOURCES_PROVIDER_API_FAILED', 'SOURCES_LOG_UNAVAILABLE'],
      example: { name: 'Acme on Viber' },
      async handler(_ctx, body) {
        const account = await callViber(api, 'get_account_info', {});
        const accountId = typeof account.id === 'string' && account.id !== '' ? account.id : undefined;
        if (accountId === undefined) throw new SourcesError('SOURCES_PROVIDER_API_FAILED', 'Viber get_account_info answered no account id');
        await callViber(api, 'set_webhook', { url: config.webhookUrl, event_types: VIBER_WEBHOOK_EVENT_TYPES, send_name: true, send_photo: true });
        const id = deriveChannelId(VIBER_SOURCE, accountId);
        const name = body.name ?? (typeof account.name === 'string' && account.name !== '' ? account.name : undefined);
        const image = body.image_url ?? (typeof account.icon === 'string' && account.icon !== '' ? account.icon : undefined);
        await writeChannel({ id, source: VIBER_SOURCE, sourceChannelId: accountId, token: null, connectionState: 'CONNECTED' }, { [CHANNEL_METADATA_KEYS.name]: name, [CHANNEL_METADATA_KEYS.imageUrl]: image });
        return { id, source: 'viber' as const, source_channel_id: accountId, name: name ?? null, image_url: image ?? null, connected: true };
      },
    }),
    defineRoute({
      name: 'channels.viber.disconnect',
      summary: 'Disconnects the Viber channel and removes the bot webhook (204, also when already disconnected)',
      request: z.object({ channel_id: parleyId }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'SOURCES_PROVIDER_API_FAILED', 'SOURCES_LOG_UNAVAILABLE'],
      example: { channel_id: '3c4d5e6f-7a8b-5c9d-8e0f-1a2b3c4d5e6f' },
      async handler(_ctx, body) {
        catalog ??= new SourceCatalog(options.log(), serdes, clock);
        await catalog.refresh();
        const channel = catalog.channel(body.channel_id);
        if (channel === undefined || channel.source !== VIBER_SOURCE) throw new HostError('RUNTIME_NOT_FOUND', `there is no Viber channel ${body.channel_id}`, { field: 'channel_id' });
        if (channel.connectionState !== 'DISCONNECTED') await writeChannel({ ...channel, token: null, connectionState: 'DISCONNECTED' });
        await callViber(api, 'set_webhook', { url: '' });
      },
    }),
  ];
}
