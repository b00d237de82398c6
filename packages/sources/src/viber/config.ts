/**
 * The `sources.viber` configuration section. One section is one bot account (Viber gives each
 * bot one auth token and one webhook). Without `authToken` the section configures nothing and the
 * provider registers nothing, so a platform without Viber starts without a `sources.viber` section.
 */
import { z } from 'zod';

/** Viber's Bot API base URL (`<apiUrl>/send_message`, …). */
export const VIBER_API_URL = 'https://chatapi.viber.com/pa';

/** The message types Viber's send_message takes (`type` of an outbound message). */
export const VIBER_MESSAGE_TYPES = ['text', 'picture', 'video', 'file', 'location', 'contact', 'sticker', 'url', 'rich_media', 'keyboard'] as const;

/** An outbound Viber message as configured (the welcome message): its `type` and the type's fields. */
export const viberMessageBody = z.looseObject({ type: z.enum(VIBER_MESSAGE_TYPES) });

/** Defaults of the `delivery` section. */
export const VIBER_DELIVERY_DEFAULTS = Object.freeze({ timeoutMs: 10_000, retryDelaysMs: Object.freeze([500, 2000]) as readonly number[], maxAgeMs: 300_000 });

const httpUrl = z.url({ protocol: /^https?$/ });

export const viberConfigSchema = z
  .strictObject({
    /** The bot's auth token (`X-Viber-Auth-Token`); also the key of the callbacks' HMAC-SHA256 signature. */
    authToken: z.string().min(1).optional(),
    /** The public URL Viber calls, `https://<your host>/webhooks/viber` (behind a proxy it differs from what the runtime sees). */
    webhookUrl: httpUrl.optional(),
    /** The Bot API base URL; change it only for a test double. */
    apiUrl: httpUrl.default(VIBER_API_URL),
    /** Who outbound messages come from (`sender` of send_message; Viber shows the name, ≤ 28 characters). */
    sender: z.strictObject({ name: z.string().min(1).max(28), avatar: httpUrl.optional() }).default({ name: 'Parley' }),
    /** Answered to `conversation_started` callbacks: the message a user sees on opening the chat. */
    welcomeMessage: viberMessageBody.optional(),
    /** Partitions of the topics it creates. */
    partitions: z.number().int().min(1).max(1024).default(1),
    delivery: z
      .strictObject({
        /** Per attempt, in ms. */
        timeoutMs: z.number().int().min(1).max(120_000).default(VIBER_DELIVERY_DEFAULTS.timeoutMs),
        /** Waits between attempts after a 429, a 5xx, a network error or Viber status 12 (rate limit), in ms. */
        retryDelaysMs: z.array(z.number().int().min(0).max(60_000)).max(10).default([...VIBER_DELIVERY_DEFAULTS.retryDelaysMs]),
        /** Outbound messages older than this fail without a call, in ms. */
        maxAgeMs: z.number().int().min(1).default(VIBER_DELIVERY_DEFAULTS.maxAgeMs),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    if (config.authToken === undefined && (config.webhookUrl !== undefined || config.welcomeMessage !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['authToken'], message: 'the bot auth token is required to configure Viber' });
    }
    if (config.authToken !== undefined && config.webhookUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['webhookUrl'], message: 'the public URL of /webhooks/viber is required (channels.viber.connect sets it as the bot webhook)' });
    }
  });

export type ViberConfig = z.output<typeof viberConfigSchema>;

/** A configuration with its bot: what the provider runs on. */
export type ConfiguredViber = ViberConfig & { authToken: string; webhookUrl: string };

export function isConfigured(config: ViberConfig): config is ConfiguredViber {
  return config.authToken !== undefined && config.webhookUrl !== undefined;
}
