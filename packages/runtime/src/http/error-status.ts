import type { MethodNotAllowedError, RuntimeErrorCode } from '../errors.js';
import type { SecretSet } from '../config/redact.js';

/**
 * The one table from error code to HTTP status (C10). Every RuntimeError code is listed (the
 * Record type makes a missing one a compile error); codes of other Parley packages that a handler
 * may let through are listed below it. Anything else is an internal error.
 */
const RUNTIME_STATUS: Record<RuntimeErrorCode, number> = {
  RUNTIME_CONFIG_INVALID: 500,
  RUNTIME_CONFIG_NOT_FOUND: 500,
  RUNTIME_DATA_DIR_INVALID: 500,
  RUNTIME_UNAUTHORIZED: 401,
  RUNTIME_FORBIDDEN: 403,
  RUNTIME_LOGIN_FAILED: 401,
  RUNTIME_SESSION_EXPIRED: 401,
  RUNTIME_INVALID_JSON: 400,
  RUNTIME_JSON_TOO_DEEP: 400,
  RUNTIME_INVALID_UNICODE: 400,
  RUNTIME_BODY_TOO_LARGE: 413,
  RUNTIME_REQUEST_TIMEOUT: 408,
  RUNTIME_UNSUPPORTED_MEDIA_TYPE: 415,
  RUNTIME_INVALID_REQUEST: 400,
  RUNTIME_INVALID_CURSOR: 400,
  RUNTIME_NOT_FOUND: 404,
  RUNTIME_METHOD_NOT_ALLOWED: 405,
  RUNTIME_TOPOLOGY_UNKNOWN: 404,
  RUNTIME_TOPOLOGY_FAILED: 503,
  RUNTIME_NOT_READY: 503,
  RUNTIME_UNHEALTHY: 503,
  RUNTIME_UI_NOT_BUILT: 503,
  RUNTIME_LISTEN_FAILED: 500,
  RUNTIME_STATE: 409,
  RUNTIME_REPROCESS_NOT_FOUND: 404,
  RUNTIME_REPROCESS_CONFLICT: 409,
  RUNTIME_REPROCESS_MODULE_INVALID: 400,
  RUNTIME_NOT_SUPPORTED: 409,
  RUNTIME_MEDIA_STORE_FAILED: 502,
  RUNTIME_INTERNAL: 500,
};

/**
 * Codes of the other Parley packages that mean something to an API client: providers' routes and
 * webhooks throw their SourcesErrors as they are (no translation), and the communication domain
 * and providers' HostErrors carry the RUNTIME_* codes above.
 */
const FOREIGN_STATUS: Readonly<Record<string, number>> = {
  STREAMS_TOPIC_NOT_FOUND: 404,
  STREAMS_PARTITION_NOT_FOUND: 404,
  STREAMS_BROKER_UNAVAILABLE: 503,
  STREAMS_LOG_NOT_OPEN: 503,
  STREAMS_APP_STATE: 503,
  SOURCES_SIGNATURE_INVALID: 401,
  SOURCES_TOKEN_MISSING: 401,
  SOURCES_TOKEN_INVALID: 403,
  SOURCES_SOURCE_NOT_FOUND: 404,
  SOURCES_CHANNEL_NOT_FOUND: 404,
  SOURCES_SOURCE_EXISTS: 409,
  SOURCES_SOURCE_ID_INVALID: 400,
  SOURCES_INVALID_PAYLOAD: 400,
  SOURCES_LOG_UNAVAILABLE: 503,
  SOURCES_PROVIDER_API_FAILED: 502,
  SOURCES_DELIVERY_FAILED: 502,
};

/** The HTTP status of an error code; undefined for a code the table does not know. */
export function httpStatusForCode(code: string): number | undefined {
  return Object.hasOwn(RUNTIME_STATUS, code) ? RUNTIME_STATUS[code as RuntimeErrorCode] : FOREIGN_STATUS[code];
}

/** The one error body shape of the API. */
export interface ErrorBody {
  message: string;
  code: string;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** False for errors the table does not know: they are bugs and are logged with their stack. */
  known: boolean;
}

/**
 * The response for a thrown value. Known codes keep their message (scrubbed of known secrets);
 * anything else becomes 500 RUNTIME_INTERNAL with a fixed message: no stack, no detail.
 */
export function toErrorResponse(err: unknown, secrets?: SecretSet): ErrorResponse {
  // Duck-typed rather than `instanceof`: an error class from a second copy of a module is still known.
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
  const status = code === undefined ? undefined : httpStatusForCode(code);
  if (code === undefined || status === undefined || !(err instanceof Error)) {
    return { status: 500, body: { message: 'internal error', code: 'RUNTIME_INTERNAL' }, headers: {}, known: false };
  }
  const message = secrets === undefined ? err.message : secrets.scrub(err.message);
  const headers: Record<string, string> = {};
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="parley"';
  const allow = (err as Partial<MethodNotAllowedError>).allow;
  if (code === 'RUNTIME_METHOD_NOT_ALLOWED' && Array.isArray(allow)) headers.Allow = allow.join(', ');
  if (status === 503) headers['Retry-After'] = String(retryAfterSeconds(err) ?? 1);
  return { status, body: { message, code }, headers, known: true };
}

/** The first `retryAfterSeconds` along the error's cause chain (handlers wrap the log's errors). */
function retryAfterSeconds(err: unknown): number | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const seconds = (e as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return Math.ceil(seconds);
  }
  return undefined;
}
