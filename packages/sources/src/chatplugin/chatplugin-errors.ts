import { isSourcesError } from '../errors.js';
import { HostError, type HostErrorCode } from '../host/host-error.js';

/**
 * What the chat plugin service's SOURCES_* codes mean to a visitor or an API client: the API's
 * common codes (the host's error table gives their statuses). A visitor learns nothing more than
 * "not found" about a channel that is unknown, another source's or disconnected.
 */
const AS_RUNTIME_CODE: Readonly<Record<string, HostErrorCode>> = {
  SOURCES_TOKEN_INVALID: 'RUNTIME_FORBIDDEN',
  SOURCES_CHANNEL_NOT_FOUND: 'RUNTIME_NOT_FOUND',
  SOURCES_INVALID_PAYLOAD: 'RUNTIME_INVALID_REQUEST',
  SOURCES_LOG_UNAVAILABLE: 'RUNTIME_NOT_READY',
};

/** A SourcesError as the HostError with the same meaning; anything else unchanged. */
export function toHostError(err: unknown): unknown {
  if (!isSourcesError(err)) return err;
  const code = AS_RUNTIME_CODE[err.code];
  return code === undefined ? err : new HostError(code, err.message, { cause: err, ...(err.field === undefined ? {} : { field: err.field }) });
}

/** Runs `fn`, translating SourcesErrors. */
export async function translated<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toHostError(err);
  }
}
