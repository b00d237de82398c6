import { z } from 'zod';
import { LOG_LEVELS } from '../logger.js';
import { mediaConfigSchema } from '../media/media-config.js';
import { webhooksConfigSchema } from '../webhooks/webhooks-config.js';

/** One provider's section under `sources`: `enabled` plus the provider's own settings and secrets. */
const sourceSchema = z.looseObject({
  /** Default true: listing a provider turns it on. */
  enabled: z.boolean().default(true),
});

const logSchema = z
  .strictObject({
    /** 'embedded' (default): the log lives under `<dataDir>/log`. 'kafka': an Apache Kafka cluster. */
    backend: z.enum(['embedded', 'kafka']).default('embedded'),
    /** Kafka bootstrap brokers (`host:port`); required with `backend: kafka`. */
    brokers: z.array(z.string().min(1)).min(1).optional(),
    /** Kafka client id. Default 'parley'. */
    clientId: z.string().min(1).optional(),
    /**
     * Kafka only: a prefix that isolates this platform on a shared cluster. Every topic, consumer
     * group and transactional id is `<namespace>.<name>` on the brokers; the API shows the names
     * without it. 1–64 characters of [a-zA-Z0-9_-]. Default none. Changing it later starts an
     * empty platform (the old data stays under the old prefix).
     */
    namespace: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'use 1-64 characters of [a-zA-Z0-9_-]')
      .optional(),
    /**
     * Kafka only: how long the group waits for a silent member (a killed process) before giving
     * its partitions to the others, in ms. Default 30000; the broker accepts 6000–1800000 by default
     * (`group.min/max.session.timeout.ms`). Lower means faster failover, and more false alarms
     * under long pauses.
     */
    sessionTimeoutMs: z.int().min(1000).max(3_600_000).optional(),
    /** Kafka only: how often members heartbeat, in ms; below a third of sessionTimeoutMs. Default 3000. */
    heartbeatIntervalMs: z.int().min(100).max(3_600_000).optional(),
    /**
     * Embedded only: fdatasync each append (one per batch of concurrent appends) and each offset
     * commit before acknowledging it, so an acknowledged message survives a power loss, not only
     * a crash of the process. Default true; false trades that for ingest throughput.
     */
    fsync: z.boolean().optional(),
  })
  .superRefine((log, ctx) => {
    if (log.backend === 'kafka' && log.brokers === undefined) {
      ctx.addIssue({ code: 'custom', path: ['brokers'], message: 'required when backend is kafka' });
    }
    // A namespace on the embedded log would be ignored: say so rather than pretend to isolate.
    for (const field of ['namespace', 'sessionTimeoutMs', 'heartbeatIntervalMs'] as const) {
      if (log.backend !== 'kafka' && log[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'only used with backend kafka' });
    }
    if (log.backend === 'kafka' && log.fsync !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['fsync'], message: 'only used with backend embedded (on Kafka, durability is the topics\' replication and acks)' });
    }
    if (log.sessionTimeoutMs !== undefined && (log.heartbeatIntervalMs ?? 3000) * 3 > log.sessionTimeoutMs) {
      ctx.addIssue({ code: 'custom', path: ['heartbeatIntervalMs'], message: 'must be at most a third of sessionTimeoutMs' });
    }
  });

const httpSchema = z.strictObject({
  /** Interface to listen on. Default '127.0.0.1' (this machine only); '0.0.0.0' for every interface. */
  host: z.string().min(1).default('127.0.0.1'),
  /** TCP port; 0 picks a free one. Default 8080. */
  port: z.int().min(0).max(65535).default(8080),
  /** Largest accepted request body, in bytes. Default 1 MiB. */
  bodyLimitBytes: z.int().min(1).default(1024 * 1024),
  /** A request's headers must arrive within this many ms of its connection or previous request. Default 10 s. */
  headersTimeoutMs: z.int().min(1).max(3_600_000).default(10_000),
  /** A request body must arrive within this many ms once its headers are in (408 after). Default 30 s. */
  bodyTimeoutMs: z.int().min(1).max(3_600_000).default(30_000),
  /** The whole request, headers and body, must arrive within this many ms (Node answers 408 and closes). Default 60 s. */
  requestTimeoutMs: z.int().min(1).max(3_600_000).default(60_000),
  /** An idle keep-alive connection is closed after this many ms. Default 5 s. */
  keepAliveTimeoutMs: z.int().min(1).max(3_600_000).default(5_000),
  /** Most connections open at once; further ones are closed at once. Default 1024. */
  maxConnections: z.int().min(1).max(1_000_000).default(1024),
  /**
   * On stop (SIGTERM), how long the instance keeps serving while `/ready` answers 503, in ms, so a
   * load balancer stops sending it traffic before it stops accepting connections. Default 0.
   */
  drainDelayMs: z.int().min(0).max(600_000).default(0),
  /** On stop, how long requests in flight get to finish before their connections are cut, in ms. Default 5000. */
  shutdownGraceMs: z.int().min(0).max(600_000).default(5000),
})
  .superRefine((http, ctx) => {
    // Node checks headersTimeout as part of requestTimeout: a larger one would never apply.
    if (http.headersTimeoutMs > http.requestTimeoutMs) ctx.addIssue({ code: 'custom', path: ['headersTimeoutMs'], message: 'must be at most requestTimeoutMs' });
  });

const authSchema = z.strictObject({
  /** Default true. With false every request is let in as the anonymous principal. */
  enabled: z.boolean().default(true),
  /** HS256 key for JWTs (its UTF-8 bytes), at least 32 characters. Default: generated into the data directory. */
  jwtSecret: z.string().min(32).optional(),
  /** The system token, at least 16 characters. Default: generated into the data directory on first start. */
  systemToken: z.string().min(16).optional(),
  /** How long an inbox login session (`auth.login`) lasts, in seconds. Default 12 hours. */
  sessionTtlSeconds: z.int().min(60).max(30 * 24 * 3600).default(12 * 3600),
});

const metricsSchema = z.strictObject({
  /**
   * A bearer token that may scrape `GET /metrics` and nothing else, at least 16 characters (the
   * system token may scrape too). Default none.
   */
  token: z.string().min(16).optional(),
});

const MiB = 1024 * 1024;

/**
 * What each state store of the streams applications may hold in memory (docs/operations.md,
 * "Memory"): a store costs up to storeCacheBytes (JS heap and buffers) + leveldbBlockCacheBytes +
 * 2 × leveldbWriteBufferBytes (native).
 */
const memorySchema = z.strictObject({
  /** Record cache in front of each LevelDB store, in bytes; 0 turns it off. Default 10 MiB. */
  storeCacheBytes: z.int().min(0).default(10 * MiB),
  /** LevelDB's block cache per store, in bytes (at least 64 KiB). Default 8 MiB. */
  leveldbBlockCacheBytes: z.int().min(64 * 1024).default(8 * MiB),
  /** LevelDB's memtable per store, in bytes (at least 64 KiB); up to two while one is written out. Default 4 MiB. */
  leveldbWriteBufferBytes: z.int().min(64 * 1024).default(4 * MiB),
});

/**
 * The runtime's configuration file (YAML) after defaults. Unknown keys are errors (a typo must
 * not silently fall back to a default), except inside a provider's section under `sources`.
 */
export const configSchema = z.strictObject({
  /** Where the embedded log, local state and generated secrets live. Default './.parley-data'. */
  dataDir: z.string().min(1).default('./.parley-data'),
  log: logSchema.prefault({}),
  http: httpSchema.prefault({}),
  auth: authSchema.prefault({}),
  memory: memorySchema.prefault({}),
  /** Prometheus metrics at `GET /metrics` (docs/operations.md, "Metrics"). */
  metrics: metricsSchema.prefault({}),
  /** Providers by name (`facebook`, `twilio-sms`, …). Default none. */
  sources: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'provider names are lowercase letters, digits and dashes'), sourceSchema).default({}),
  /** Outbound webhooks: delivery queue, retries, SSRF guard (docs/webhooks.md). */
  webhooks: webhooksConfigSchema.prefault({}),
  /** Where `media.upload` stores files: `<dataDir>/media/` or an S3-compatible bucket (docs/operations.md). */
  media: mediaConfigSchema.prefault({}),
  /** Lines below this level are not logged. Default 'info'. */
  logLevel: z.enum(LOG_LEVELS).default('info'),
});

/** The configuration as written (every field optional). */
export type RuntimeConfigInput = z.input<typeof configSchema>;

/** The configuration with every default filled in and `dataDir` absolute. */
export type RuntimeConfig = z.output<typeof configSchema>;

/** One provider's resolved section. */
export type SourceConfig = z.output<typeof sourceSchema>;
