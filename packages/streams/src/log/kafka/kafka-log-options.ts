import kafkajs, { type KafkaConfig, type RetryOptions } from 'kafkajs';
import { NAMESPACE_PATTERN } from './kafka-namespace.js';

const { logLevel: KafkaLogLevel } = kafkajs;

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** Options of `new KafkaLog(options)`. */
export interface KafkaLogOptions {
  /** Bootstrap brokers, `host:port` each. Required. */
  brokers: string[];
  /** Sent to the brokers with every request; default 'parley'. */
  clientId?: string;
  /**
   * Isolates this log on a shared cluster: topic `t`, consumer group `g` and transactional id
   * `x` are `<namespace>.t`, `<namespace>.g` and `<namespace>.x` on the brokers, and every name
   * this log reports (topic listings, records, offsets, assignments, errors' `topic`) is given
   * without the prefix. Topics outside the namespace are invisible to it. 1–64 characters of
   * [a-zA-Z0-9_-] (no '.', so no namespace sees into another); topic names then have
   * 249 − (length + 1) characters left. Default none: names are used as they are.
   */
  namespace?: string;
  /** Time to establish a TCP connection, in milliseconds; default 3000. */
  connectionTimeoutMs?: number;
  /** Time to wait for a broker's answer, in milliseconds; default 30 000. */
  requestTimeoutMs?: number;
  /**
   * Retries of kafkajs requests (also bounds `open()` against an unreachable broker):
   * default `{ retries: 5, initialRetryTime: 300 }` (ms, doubling, ~10 s in all).
   */
  retry?: Pick<RetryOptions, 'retries' | 'initialRetryTime' | 'maxRetryTime' | 'factor' | 'multiplier'>;
  /**
   * kafkajs's own logging, to stdout as JSON lines; default 'nothing': every failure reaches the
   * caller as a coded StreamsError, and kafkajs logs each broker-side error it retries.
   */
  logLevel?: KafkaLogLevel;
  /** Replication factor of created topics; default 1 (a single-broker cluster). */
  replicationFactor?: number;
  /**
   * Extra broker topic configs applied to every topic this log creates (e.g. `segment.bytes`),
   * after the ones derived from `TopicConfig`. Default none.
   */
  topicConfigs?: Record<string, string>;
  /** Upper bound of bytes fetched per partition by one `read` round trip or consumer fetch; default 1 MiB. */
  fetchMaxBytesPerPartition?: number;
  /**
   * Whether `read` and consumers see records of aborted or still open transactions.
   * Default 'read_committed' (kafkajs's default; the same as uncommitted for non-transactional data).
   */
  isolationLevel?: 'read_committed' | 'read_uncommitted';
  /** Consumer group session timeout, in milliseconds; default 30 000 (the broker allows 6 000 – 300 000). */
  sessionTimeoutMs?: number;
  /** How often a consumer heartbeats (and so notices a rebalance), in milliseconds; default 3000. */
  heartbeatIntervalMs?: number;
  /** How long an idle consumer fetch waits on the broker for new records, in milliseconds; default 500. */
  consumerMaxWaitMs?: number;
  /** How long a transaction may stay open before the broker aborts it, in milliseconds; default 60 000. */
  transactionTimeoutMs?: number;
}

/** The options with every default filled in (`namespace` '' for none). */
export type ResolvedKafkaLogOptions = Required<Omit<KafkaLogOptions, 'retry'>> & { retry: RetryOptions };

const LEVELS: Record<KafkaLogLevel, number> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return v;
}

export function resolveKafkaLogOptions(options: KafkaLogOptions): ResolvedKafkaLogOptions {
  if (!Array.isArray(options?.brokers) || options.brokers.length === 0 || options.brokers.some((b) => typeof b !== 'string' || b.length === 0)) {
    throw new TypeError('KafkaLog needs brokers: a non-empty array of "host:port" strings');
  }
  const logLevel = options.logLevel ?? 'nothing';
  if (!(logLevel in LEVELS)) throw new TypeError(`unknown logLevel ${JSON.stringify(logLevel)}`);
  const isolationLevel = options.isolationLevel ?? 'read_committed';
  if (isolationLevel !== 'read_committed' && isolationLevel !== 'read_uncommitted') {
    throw new TypeError(`unknown isolationLevel ${JSON.stringify(isolationLevel)}`);
  }
  const namespace = options.namespace ?? '';
  if (options.namespace !== undefined && (typeof namespace !== 'string' || !NAMESPACE_PATTERN.test(namespace))) {
    throw new TypeError(`invalid namespace ${JSON.stringify(options.namespace)}: use 1-64 characters of [a-zA-Z0-9_-]`);
  }
  return {
    brokers: [...options.brokers],
    clientId: options.clientId ?? 'parley',
    namespace,
    connectionTimeoutMs: positiveInt('connectionTimeoutMs', options.connectionTimeoutMs, 3000),
    requestTimeoutMs: positiveInt('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    retry: { retries: 5, initialRetryTime: 300, ...options.retry },
    logLevel,
    replicationFactor: positiveInt('replicationFactor', options.replicationFactor, 1),
    topicConfigs: { ...options.topicConfigs },
    fetchMaxBytesPerPartition: positiveInt('fetchMaxBytesPerPartition', options.fetchMaxBytesPerPartition, 1024 * 1024),
    isolationLevel,
    sessionTimeoutMs: positiveInt('sessionTimeoutMs', options.sessionTimeoutMs, 30_000),
    heartbeatIntervalMs: positiveInt('heartbeatIntervalMs', options.heartbeatIntervalMs, 3000),
    consumerMaxWaitMs: positiveInt('consumerMaxWaitMs', options.consumerMaxWaitMs, 500),
    transactionTimeoutMs: positiveInt('transactionTimeoutMs', options.transactionTimeoutMs, 60_000),
  };
}

/** The kafkajs client config for these options. */
export function kafkaConfig(options: ResolvedKafkaLogOptions): KafkaConfig {
  return {
    brokers: options.brokers,
    clientId: options.clientId,
    connectionTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    retry: options.retry,
    logLevel: LEVELS[options.logLevel],
  };
}
