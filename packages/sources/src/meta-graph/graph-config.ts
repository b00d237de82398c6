/** The `graph` part of a Meta provider's configuration section. */
import { z } from 'zod';

/** Defaults of the Graph API client. */
export const GRAPH_DEFAULTS = Object.freeze({
  apiVersion: 'v21.0',
  baseUrl: 'https://graph.facebook.com',
  timeoutMs: 10_000,
  /** Waits before the 2nd, 3rd, … attempt after a rate-limit or 5xx answer, in ms. */
  retryDelaysMs: Object.freeze([1000, 5000, 15_000]) as readonly number[],
});

export const graphConfigSchema = z
  .strictObject({
    /** Graph API version in request paths (`v21.0`). */
    apiVersion: z.string().regex(/^v\d+\.\d+$/).default(GRAPH_DEFAULTS.apiVersion),
    /** Graph API base URL (a local stand-in in tests). */
    baseUrl: z.url({ protocol: /^https?$/ }).default(GRAPH_DEFAULTS.baseUrl),
    /** Per request, in ms. */
    timeoutMs: z.number().int().min(1).max(120_000).default(GRAPH_DEFAULTS.timeoutMs),
    /** Waits between attempts after a rate-limit (Graph codes 4, 32, 613; HTTP 429) or 5xx answer, in ms. */
    retryDelaysMs: z.array(z.number().int().min(0).max(300_000)).max(10).default([...GRAPH_DEFAULTS.retryDelaysMs]),
  })
  .prefault({});

/** The fields every Meta provider's section has besides its own. */
export const metaAppConfigShape = {
  /** The Meta app's secret: the key of `X-Hub-Signature-256` (HMAC-SHA256 of the raw body). */
  appSecret: z.string().min(16),
  /** What the webhook's GET handshake (`hub.verify_token`) must carry; set the same in the App Dashboard. */
  verifyToken: z.string().min(8).max(512),
  /** Also accept the legacy `X-Hub-Signature` (HMAC-SHA1) when `X-Hub-Signature-256` is absent. Default false. */
  acceptSha1Signature: z.boolean().default(false),
  graph: graphConfigSchema,
  /** Outbound messages older than this when the connector sees them fail without a call, in ms (Airy's 300 s). */
  maxOutboundAgeMs: z.number().int().min(1).default(300_000),
  /** Partitions of the provider's raw topics. */
  partitions: z.number().int().min(1).max(1024).default(1),
};
