import { z } from 'zod';

/**
 * The Standard Webhooks example schedule after the first attempt, in seconds: 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (about 3 days in all). Jitter of ±20 % is added to each.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = Object.freeze([5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400]);

const queueSchema = z.strictObject({
  /**
   * `embedded`: topics of the platform's log; `redis`: a Redis stream shared by every instance.
   * Default: `redis` when `log.backend` is kafka and `url` is set, else `embedded`.
   */
  backend: z.enum(['embedded', 'redis']).optional(),
  /** Redis URL (`redis://host:6379/0`); required with backend redis. */
  url: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').optional(),
  /** Prefix of the Redis keys. Default `parley:webhooks:`. */
  keyPrefix: z.string().min(1).default('parley:webhooks:'),
  /** This instance's consumer name in the Redis group; stable per instance, distinct between instances. Default `parley`. */
  consumer: z.string().min(1).default('parley'),
});

/** The `webhooks` section of the configuration file. */
export const webhooksConfigSchema = z.strictObject({
  /** Default true. */
  enabled: z.boolean().default(true),
  queue: queueSchema.prefault({}),
  /** Seconds to wait before each retry (its length is the number of retries). */
  retrySchedule: z.array(z.number().min(0)).max(50).default([...DEFAULT_RETRY_SCHEDULE_SECONDS]),
  /** One attempt's time limit, in ms. Default 15000. */
  timeoutMs: z.int().min(100).max(120_000).default(15_000),
  /** Requests in flight per webhook at most. Default 8. */
  concurrency: z.int().min(1).max(256).default(8),
  /**
   * Allow targets on loopback, private (RFC 1918, ULA), link-local and other non-public addresses.
   * Default false: such URLs are refused at subscribe time and at each delivery (SSRF guard).
   */
  allowPrivateNetworks: z.boolean().default(false),
});

export type WebhooksConfigInput = z.input<typeof webhooksConfigSchema>;
export type WebhooksConfig = z.output<typeof webhooksConfigSchema>;
