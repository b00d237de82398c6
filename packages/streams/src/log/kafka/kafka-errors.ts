import { StreamsError, TopicError, type StreamsErrorCode } from '../../errors.js';

/** Where an error happened, for the TopicError fields. */
export interface ErrorWhere {
  topic?: string;
  partition?: number;
}

/** Kafka protocol error types (kafkajs `err.type`) that say the broker or network is the problem. */
const UNAVAILABLE_TYPES = new Set([
  'BROKER_NOT_AVAILABLE',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NETWORK_EXCEPTION',
  'REQUEST_TIMED_OUT',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'GROUP_LOAD_IN_PROGRESS',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'NOT_CONTROLLER',
  'KAFKA_STORAGE_ERROR',
]);

/** kafkajs error classes (`err.name`) for a broker that cannot be reached or answered too late. */
const UNAVAILABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
]);

/** Node socket errors seen when nothing listens or the network is down. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE']);

interface KafkaLikeError {
  name?: string;
  type?: string;
  code?: unknown;
  message?: string;
  retriable?: boolean;
  cause?: unknown;
  errors?: unknown[];
}

/** The chain kafkajs builds (retry wrappers, aggregate errors), outermost first. */
function chain(err: unknown): KafkaLikeError[] {
  const out: KafkaLikeError[] = [];
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current !== null && typeof current === 'object' && !seen.has(current) && out.length < 10) {
    seen.add(current);
    const e = current as KafkaLikeError;
    out.push(e);
    current = e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  return out;
}

function classify(links: KafkaLikeError[], where: ErrorWhere): { code: StreamsErrorCode; retriable: boolean } {
  for (const e of links) {
    switch (e.type) {
      case 'UNKNOWN_TOPIC_OR_PARTITION':
        return { code: where.partition === undefined ? 'STREAMS_TOPIC_NOT_FOUND' : 'STREAMS_PARTITION_NOT_FOUND', retriable: false };
      case 'TOPIC_ALREADY_EXISTS':
        return { code: 'STREAMS_TOPIC_EXISTS', retriable: false };
      case 'OFFSET_OUT_OF_RANGE':
        return { code: 'STREAMS_OFFSET_OUT_OF_RANGE', retriable: false };
      case 'INVALID_RECORD':
      case 'CORRUPT_MESSAGE':
        return { code: 'STREAMS_INVALID_RECORD', retriable: false };
      // A commit (or heartbeat) of a member the group has moved on from, during a rebalance
      // (another instance joined or died): rejoining recovers, as kafkajs' own runner does.
      case 'ILLEGAL_GENERATION':
      case 'UNKNOWN_MEMBER_ID':
      case 'REBALANCE_IN_PROGRESS':
        return { code: 'STREAMS_KAFKA_ERROR', retriable: true };
    }
    if ((e.type !== undefined && UNAVAILABLE_TYPES.has(e.type)) || (e.name !== undefined && UNAVAILABLE_NAMES.has(e.name))) {
      return { code: 'STREAMS_BROKER_UNAVAILABLE', retriable: true };
    }
    if (typeof e.code === 'string' && SOCKET_CODES.has(e.code)) return { code: 'STREAMS_BROKER_UNAVAILABLE', retriable: true };
  }
  const innermost = links[links.length - 1];
  return { code: 'STREAMS_KAFKA_ERROR', retriable: innermost?.retriable === true };
}

/**
 * Wraps anything kafkajs throws into a coded StreamsError (C9), keeping the original as `cause`.
 * StreamsErrors and misuse errors (TypeError/RangeError raised by our own checks) pass through.
 */
export function toStreamsError(err: unknown, where: ErrorWhere = {}): Error {
  if (err instanceof StreamsError) return err;
  if ((err instanceof TypeError || err instanceof RangeError) && !(err as KafkaLikeError).name?.startsWith('KafkaJS')) return err;
  const links = chain(err);
  const { code, retriable } = classify(links, where);
  const detail = links.map((e) => e.message).filter((m) => m !== undefined && m.length > 0);
  const message = [...new Set(detail)].join(': ') || String(err);
  const context = where.topic === undefined ? '' : ` (${where.topic}${where.partition === undefined ? '' : `/${where.partition}`})`;
  if (where.topic !== undefined) {
    return new TopicError(code, `${message}${context}`, { topic: where.topic, ...(where.partition === undefined ? {} : { partition: where.partition }) }, { cause: err, retriable });
  }
  return new StreamsError(code, message, { cause: err, retriable });
}

/** True when kafkajs reported `type` anywhere in the error's chain. */
export function hasKafkaType(err: unknown, type: string): boolean {
  return chain(err).some((e) => e.type === type);
}

/** Runs `call`, wrapping whatever it throws (C2 boundary). */
export async function wrapKafka<T>(call: () => Promise<T>, where: ErrorWhere = {}): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toStreamsError(err, where);
  }
}
