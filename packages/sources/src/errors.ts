/**
 * Every error @parley/sources throws on purpose carries a stable `code` (C9). Misuse of an API
 * (a wrong argument type) throws a plain TypeError/RangeError instead. The README's "Errors"
 * section lists every code; a test keeps the two in step.
 */
export const SOURCES_ERROR_CODES = [
  'SOURCES_SIGNATURE_INVALID',
  'SOURCES_TOKEN_MISSING',
  'SOURCES_TOKEN_INVALID',
  'SOURCES_SOURCE_NOT_FOUND',
  'SOURCES_SOURCE_EXISTS',
  'SOURCES_SOURCE_ID_INVALID',
  'SOURCES_CHANNEL_NOT_FOUND',
  'SOURCES_CONFIG_INVALID',
  'SOURCES_INVALID_PAYLOAD',
  'SOURCES_LOG_UNAVAILABLE',
  'SOURCES_DELIVERY_FAILED',
  'SOURCES_PROVIDER_API_FAILED',
] as const;

export type SourcesErrorCode = (typeof SOURCES_ERROR_CODES)[number];

export interface SourcesErrorOptions {
  cause?: unknown;
  /** True when the same call may succeed if tried again later. */
  retriable?: boolean;
  /** The request or configuration field at fault, as a dotted path (`messages.0.sent_at`). */
  field?: string;
}

export class SourcesError extends Error {
  readonly code: SourcesErrorCode;
  readonly retriable: boolean;
  /** The request or configuration field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: SourcesErrorCode, message: string, options: SourcesErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SourcesError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.field = options.field;
  }
}

/** True when `err` is a SourcesError with the given code (any code when omitted). */
export function isSourcesError(err: unknown, code?: SourcesErrorCode): err is SourcesError {
  return err instanceof SourcesError && (code === undefined || err.code === code);
}
