/**
 * Every error @parley/streams throws on purpose carries a stable `code` (C9).
 * Misuse of an API (a wrong argument type) throws a plain TypeError/RangeError instead.
 * The README's "Errors" section lists every code; a test keeps the two in step.
 */
export const STREAMS_ERROR_CODES = [
  'STREAMS_LOG_NOT_OPEN',
  'STREAMS_LOG_CORRUPT',
  'STREAMS_LOG_IO',
  'STREAMS_TOPIC_NOT_FOUND',
  'STREAMS_TOPIC_EXISTS',
  'STREAMS_PARTITION_NOT_FOUND',
  'STREAMS_OFFSET_OUT_OF_RANGE',
  'STREAMS_INVALID_RECORD',
  'STREAMS_LOG_LOCKED',
  'STREAMS_BROKER_UNAVAILABLE',
  'STREAMS_KAFKA_ERROR',
  'STREAMS_STORE_NOT_OPEN',
  'STREAMS_STORE_IO',
  'STREAMS_SERDE_DECODE',
  'STREAMS_SERDE_ENCODE',
  'STREAMS_SCHEMA_INCOMPATIBLE',
  'STREAMS_PROCESSING_FAILED',
  'STREAMS_INVALID_TIMESTAMP',
  'STREAMS_TASK_NOT_RUNNING',
  'STREAMS_COPARTITION_MISMATCH',
  'STREAMS_TOPOLOGY_INCOMPATIBLE',
  'STREAMS_APP_STATE',
  'STREAMS_UNSUPPORTED',
] as const;

export type StreamsErrorCode = (typeof STREAMS_ERROR_CODES)[number];

export interface StreamsErrorOptions {
  cause?: unknown;
  /** True when the same call may succeed if tried again later. */
  retriable?: boolean;
}

/** Marks every StreamsError, whichever copy of this module made it. */
const BRAND = Symbol.for('@parley/streams/StreamsError');

export class StreamsError extends Error {
  readonly code: StreamsErrorCode;
  readonly retriable: boolean;

  /**
   * `instanceof StreamsError` by brand, not by prototype: when the library is loaded twice (an
   * ESM and a CJS copy, two bundles), an error from one copy must still be recognised by the
   * other, or a retriable I/O error would not be retried. Subclasses keep the usual check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== StreamsError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  constructor(code: StreamsErrorCode, message: string, options: StreamsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.name = 'StreamsError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** An error about one topic (and maybe one partition of it). */
export class TopicError extends StreamsError {
  readonly topic: string;
  readonly partition: number | undefined;

  constructor(
    code: StreamsErrorCode,
    message: string,
    where: { topic: string; partition?: number },
    options: StreamsErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'TopicError';
    this.topic = where.topic;
    this.partition = where.partition;
  }
}

/** True when `err` is a StreamsError with the given code. */
export function isStreamsError(err: unknown, code?: StreamsErrorCode): err is StreamsError {
  return err instanceof StreamsError && (code === undefined || err.code === code);
}
