/**
 * The `sources.google` configuration section (Google Business Messages, shut down by Google on
 * 2024-07-31; see README.md). Without `clientToken` the section configures nothing and the
 * provider registers nothing.
 */
import { z } from 'zod';

export const GOOGLE_API_URL = 'https://businessmessages.googleapis.com/v1';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_SCOPE = 'https://www.googleapis.com/auth/businessmessages';

export const GOOGLE_DELIVERY_DEFAULTS = Object.freeze({ timeoutMs: 10_000, retryDelaysMs: Object.freeze([500, 2000]) as readonly number[], maxAgeMs: 300_000 });

const httpUrl = z.url({ protocol: /^https?$/ });

export const googleConfigSchema = z
  .strictObject({
    /** The partner's client token: checked in the webhook registration and the key of `X-Goog-Signature` (HMAC-SHA512). Airy called it `partnerKey`. */
    clientToken: z.string().min(1).optional(),
    /** The service account the connector sends as (OAuth2 JWT grant, scope businessmessages). */
    serviceAccount: z
      .strictObject({
        clientEmail: z.string().min(3),
        /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as in the service account's JSON key. */
        privateKey: z.string().includes('PRIVATE KEY'),
        tokenUrl: httpUrl.default(GOOGLE_TOKEN_URL),
      })
      .optional(),
    /** The Business Messages API base URL; change it only for a test double. */
    apiUrl: httpUrl.default(GOOGLE_API_URL),
    /** `representative.representativeType` of outbound messages that do not set one. */
    representativeType: z.enum(['BOT', 'HUMAN']).default('HUMAN'),
    partitions: z.number().int().min(1).max(1024).default(1),
    delivery: z
      .strictObject({
        timeoutMs: z.number().int().min(1).max(120_000).default(GOOGLE_DELIVERY_DEFAULTS.timeoutMs),
        retryDelaysMs: z.array(z.number().int().min(0).max(60_000)).max(10).default([...GOOGLE_DELIVERY_DEFAULTS.retryDelaysMs]),
        maxAgeMs: z.number().int().min(1).default(GOOGLE_DELIVERY_DEFAULTS.maxAgeMs),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    if (config.clientToken === undefined && config.serviceAccount !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['clientToken'], message: 'the partner client token is required to configure Google Business Messages' });
    }
    if (config.clientToken !== undefined && config.serviceAccount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['serviceAccount'], message: 'a service account (clientEmail, privateKey) is required to send messages' });
    }
  });

export type GoogleConfig = z.output<typeof googleConfigSchema>;
export type ConfiguredGoogle = GoogleConfig & { clientToken: string; serviceAccount: NonNullable<GoogleConfig['serviceAccount']> };

export function isConfigured(config: GoogleConfig): config is ConfiguredGoogle {
  return config.clientToken !== undefined && config.serviceAccount !== undefined;
}
