import { isSourcesError } from '@parley/sources';
import { RuntimeError, type RuntimeErrorCode } from '../errors.js';

/**
 * What the chat plugin's SOURCES_* codes mean to an API client, as runtime codes (the HTTP error
 * table knows those). A visitor learns nothing more than "not found" about a channel that is
 * unknown, another source's or disconnected.
 */
const AS_RUNTIME_CODE: Readonly<Record<string, RuntimeErrorCode>> = {
  SOURCES_TOKEN_INVALID: 'RUNTIME_FORBIDDEN',
  SOURCES_CHANNEL_NOT_FOUND: 'RUNTIME_NOT_FOUND',
  SOURCES_INVALID_PAYLOAD: 'RUNTIME_INVALID_REQUEST',
  SOURCES_LOG_UNAVAILABLE: 'RUNTIME_NOT_READY',
};

/** A SourcesError as the RuntimeError with the same meaning; anything else unchanged. */
export function toRuntimeError(err: unknown): unknown {
  if (!isSourcesError(err)) return err;
  const code = AS_RUNTIME_CODE[err.code];
  return code === undefined ? err : new RuntimeError(code, err.message, { cause: err, ...(err.field === undefined ? {} : { field: err.field }) });
}

/** Runs `fn`, translating SourcesErrors. */
export async function translated<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toRuntimeError(err);
  }
}
