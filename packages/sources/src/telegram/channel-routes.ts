/**
 * `channels.telegram.connect` and `.disconnect`: the channel is the configured bot. Connect checks
 * the token (`getMe`), registers the webhook (`setWebhook` with `publicUrl`, the secret token and
 * the update kinds handled) and writes the CONNECTED channel `channelId("telegram", <bot id>)`;
 * disconnect removes the webhook (`deleteWebhook`) and writes it DISCONNECTED. A Bot API refusal
 * is 502 SOURCES_DELIVERY_FAILED with Telegram's description.
 */
import { modelSerdes } from '@parley/communication';
import { CHANNEL_METADATA_KEYS, channelId, COMMUNICATION_TOPICS, metadataId, metadataRecord, metadataSubject, type Channel } from '@parley/schemas';
import type { Log } from '@parley/streams';
import { z } from 'zod';
import { SourcesError } from '../errors.js';
import { defineRoute, type AnyRouteDefinition } from '../host/route-definition.js';
import { callTelegram, TelegramApiError } from './telegram-api.js';
import { botIdOf, TELEGRAM, type TelegramConfig } from './telegram-config.js';

/** The update kinds the router handles: Telegram sends no others. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'edited_message'] as const;

export function telegramChannelRoutes(config: TelegramConfig, log: () => Log, fetchImpl?: typeof fetch): AnyRouteDefinition[] {
  const serdes = modelSerdes();
  const botId = botIdOf(config.botToken);
  const id = channelId(TELEGRAM, botId);
  const call = async (method: string, body: object) => {
    try {
      return await callTelegram({ apiBaseUrl: config.apiBaseUrl, botToken: config.botToken, timeoutMs: config.delivery.timeoutMs, retryDelaysMs: [], ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }) }, method, body);
    } catch (err) {
      if (!(err instanceof TelegramApiError)) throw err;
      throw new SourcesError('SOURCES_DELIVERY_FAILED', err.message, { cause: err, retriable: err.errorCode === 0 || err.errorCode === 429 || err.errorCode >= 500 });
    }
  };
  const write = async (state: Channel['connectionState'], name?: string) => {
    const channel: Channel = { id, source: TELEGRAM, sourceChannelId: botId, token: null, connectionState: state };
    if (name !== undefined) {
      const record = metadataRecord({ subject: metadataSubject('channel', id), key: CHANNEL_METADATA_KEYS.name, value: name, timestamp: Date.now() });
      await log().append(COMMUNICATION_TOPICS.metadata.name, [{ key: Buffer.from(metadataId(record.subject, record.key)), value: serdes.metadata.serialize(record) }]);
    }
    await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(id), value: serdes.channel.serialize(channel) }]);
  };
  return [
    defineRoute({
      name: 'channels.telegram.connect',
      summary: 'Connects the configured Telegram bot: checks its token and registers the webhook (setWebhook)',
      request: z.object({ name: z.string().min(1).max(256).optional().describe("Default: the bot's @username") }),
      response: z.strictObject({ id: z.string(), source: z.string(), source_channel_id: z.string(), connected: z.boolean(), name: z.string() }),
      successStatus: 201,
      errors: ['SOURCES_DELIVERY_FAILED'],
      example: { name: 'Support bot' },
      async handler(_ctx, body) {
        const me = (await call('getMe', {})) as { id?: unknown; username?: unknown };
        await call('setWebhook', { url: config.publicUrl, secret_token: config.secretToken, allowed_updates: TELEGRAM_ALLOWED_UPDATES });
        const name = body.name ?? (typeof me.username === 'string' ? `@${me.username}` : botId);
        await write('CONNECTED', name);
        return { id, source: TELEGRAM, source_channel_id: botId, connected: true, name };
      },
    }),
    defineRoute({
      name: 'channels.telegram.disconnect',
      summary: 'Disconnects the Telegram bot: removes its webhook (deleteWebhook) (204)',
      request: z.object({}),
      response: null,
      errors: ['SOURCES_DELIVERY_FAILED'],
      example: {},
      async handler() {
        await call('deleteWebhook', {});
        await write('DISCONNECTED');
      },
    }),
  ];
}
