import { StreamsError, TopicError, type StreamsErrorCode } from '../errors.js';

/** The codes a serde throws on purpose. */
export type SerdeErrorCode = Extract<
  StreamsErrorCode,
  'STREAMS_SERDE_DECODE' | 'STREAMS_SERDE_ENCODE' | 'STREAMS_SCHEMA_INCOMPATIBLE'
>;

/**
 * Builds the error a serde throws: a TopicError when the caller named the topic (so a
 * dead-letter handler can route it), a plain StreamsError otherwise. The message names the
 * topic too, because a log line is often all an operator gets.
 */
export function serdeError(
  code: SerdeErrorCode,
  message: string,
  topic: string | undefined,
  cause?: unknown,
): StreamsError {
  const options = cause === undefined ? {} : { cause };
  if (topic === undefined) return new StreamsError(code, message, options);
  return new TopicError(code, `${message} (topic "${topic}")`, { topic }, options);
}

/** Throws STREAMS_SERDE_DECODE unless `bytes` has exactly `expected` bytes (fixed-width formats). */
export function expectByteLength(
  bytes: Buffer,
  expected: number,
  topic: string | undefined,
): void {
  if (bytes.length !== expected) {
    throw serdeError(
      'STREAMS_SERDE_DECODE',
      `Expected ${expected} bytes, got ${bytes.length}`,
      topic,
    );
  }
}
