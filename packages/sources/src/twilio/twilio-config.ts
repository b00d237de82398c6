/** The `sources.twilio-sms` and `sources.twilio-whatsapp` configuration sections (same shape). */
import { z } from 'zod';

export const TWILIO_DEFAULTS = Object.freeze({
  apiBaseUrl: 'https://api.twilio.com',
  timeoutMs: 10_000,
  retryDelaysMs: [1_000, 5_000] as readonly number[],
  maxAgeMs: 300_000,
});

export const twilioConfigSchema = z.strictObject({
  /** The account (`AC` + 32 hex): the Messages API's user name and path segment. */
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'must be AC followed by 32 hex digits'),
  /** The account's auth token: the Messages API's password and the webhook signing key. */
  authToken: z.string().min(16),
  /**
   * The public URL Twilio calls for this provider's webhook (`https://parley.example/webhooks/twilio-sms`).
   * Twilio signs the URL it called; behind a proxy the request URL differs, so it is configured.
   */
  publicUrl: z.url({ protocol: /^https?$/ }),
  /** Send from this Messaging Service instead of the channel's number. */
  messagingServiceSid: z.string().regex(/^MG[0-9a-f]{32}$/, 'must be MG followed by 32 hex digits').optional(),
  /** The Messages API's origin (a local fake in tests). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).default(TWILIO_DEFAULTS.apiBaseUrl),
  /** Partitions of the provider's topics. */
  partitions: z.number().int().min(1).max(1024).default(1),
  delivery: z
    .strictObject({
      /** Per attempt, in ms. */
      timeoutMs: z.number().int().min(1).max(120_000).default(TWILIO_DEFAULTS.timeoutMs),
      /** Waits between attempts after a 429, a 5xx or a network error, in ms; a `Retry-After` answer wins when longer. */
      retryDelaysMs: z.array(z.number().int().min(0).max(60_000)).max(10).default([...TWILIO_DEFAULTS.retryDelaysMs]),
      /** Outbound messages older than this when seen fail without a call, in ms. */
      maxAgeMs: z.number().int().min(1).default(TWILIO_DEFAULTS.maxAgeMs),
    })
    .prefault({}),
});

export type TwilioConfig = z.output<typeof twilioConfigSchema>;
