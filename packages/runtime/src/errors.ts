/**
 * Every error @parley/runtime throws on purpose carries a stable `code` (C9); the HTTP layer maps
 * each code to a status in one table (`src/http/error-status.ts`). Misuse of an API (a wrong
 * argument type) throws a plain TypeError/RangeError instead. The README's "Errors" section lists
 * every code; a test keeps the two in step.
 */
export const RUNTIME_ERROR_CODES = [
  'RUNTIME_CONFIG_INVALID',
  'RUNTIME_CONFIG_NOT_FOUND',
  'RUNTIME_DATA_DIR_INVALID',
  'RUNTIME_UNAUTHORIZED',
  'RUNTIME_FORBIDDEN',
  'RUNTIME_LOGIN_FAILED',
  'RUNTIME_SESSION_EXPIRED',
  'RUNTIME_INVALID_JSON',
  'RUNTIME_JSON_TOO_DEEP',
  'RUNTIME_INVALID_UNICODE',
  'RUNTIME_BODY_TOO_LARGE',
  'RUNTIME_REQUEST_TIMEOUT',
  'RUNTIME_UNSUPPORTED_MEDIA_TYPE',
  'RUNTIME_INVALID_REQUEST',
  'RUNTIME_INVALID_CURSOR',
  'RUNTIME_NOT_FOUND',
  'RUNTIME_METHOD_NOT_ALLOWED',
  'RUNTIME_TOPOLOGY_UNKNOWN',
  'RUNTIME_TOPOLOGY_FAILED',
  'RUNTIME_NOT_READY',
  'RUNTIME_UNHEALTHY',
  'RUNTIME_UI_NOT_BUILT',
  'RUNTIME_LISTEN_FAILED',
  'RUNTIME_STATE',
  'RUNTIME_REPROCESS_NOT_FOUND',
  'RUNTIME_REPROCESS_CONFLICT',
  'RUNTIME_REPROCESS_MODULE_INVALID',
  'RUNTIME_NOT_SUPPORTED',
  'RUNTIME_MEDIA_STORE_FAILED',
  'RUNTIME_INTERNAL',
] as const;

export type RuntimeErrorCode = (typeof RUNTIME_ERROR_CODES)[number];

export interface RuntimeErrorOptions {
  cause?: unknown;
  /** The configuration field or request field at fault, as a dotted path (`http.port`, `page_size`). */
  field?: string;
  /** For a 503: when to try again, sent as the `Retry-After` header. */
  retryAfterSeconds?: number;
}

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  /** The configuration or request field at fault, when there is one. */
  readonly field: string | undefined;
  /** When to try again, for an error answered 503 (the `Retry-After` header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: RuntimeErrorCode, message: string, options: RuntimeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuntimeError';
    this.code = code;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True when `err` is a RuntimeError with the given code (any code when omitted). */
export function isRuntimeError(err: unknown, code?: RuntimeErrorCode): err is RuntimeError {
  return err instanceof RuntimeError && (code === undefined || err.code === code);
}

/** RUNTIME_METHOD_NOT_ALLOWED, with the methods the path does accept (sent as the `Allow` header). */
export class MethodNotAllowedError extends RuntimeError {
  readonly allow: readonly string[];

  constructor(method: string, path: string, allow: readonly string[]) {
    super('RUNTIME_METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allow.join(' or ')}`);
    this.name = 'MethodNotAllowedError';
    this.allow = allow;
  }
}
