/** The `sources.telegram` configuration section and the provider's names. */
import { sourceEventsTopic } from '@parley/schemas';
import { z } from 'zod';

export const TELEGRAM = 'telegram';
export const TELEGRAM_EVENTS_TOPIC = sourceEventsTopic(TELEGRAM);
/** Updates the router could not route, as JSON `{ code, reason, item }`. */
export const TELEGRAM_DEAD_LETTER_TOPIC = 'source.telegram.dead-letters';
export const TELEGRAM_APPLICATION_IDS = Object.freeze({ router: 'sources.telegram.router', connector: 'sources.telegram.connector' });

export const telegramConfigSchema = z.strictObject({
  /** The bot's token from @BotFather (`<bot id>:<secret>`); the bot id is the channel's `source_channel_id`. */
  botToken: z.string().regex(/^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$/, 'must be <bot id>:<secret> as @BotFather gives it'),
  /** Sent to setWebhook as `secret_token`; Telegram echoes it in `X-Telegram-Bot-Api-Secret-Token`. */
  secretToken: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16 to 256 of A-Z, a-z, 0-9, _ and -'),
  /** The public URL of `POST /webhooks/telegram`, registered with setWebhook on connect. */
  publicUrl: z.url({ protocol: /^https?$/ }),
  /** The Bot API's origin (a local fake in tests). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  partitions: z.number().int().min(1).max(1024).default(1),
  delivery: z
    .strictObject({
      timeoutMs: z.number().int().min(1).max(120_000).default(10_000),
      /** Waits after a 429, a 5xx or a network error, in ms; `parameters.retry_after` wins when longer (≤ 60 s). */
      retryDelaysMs: z.array(z.number().int().min(0).max(60_000)).max(10).default([1_000, 5_000]),
      maxAgeMs: z.number().int().min(1).default(300_000),
    })
    .prefault({}),
});
export type TelegramConfig = z.output<typeof telegramConfigSchema>;

/** The bot id of a token: the channel's `source_channel_id`. */
export const botIdOf = (botToken: string): string => botToken.slice(0, botToken.indexOf(':'));
