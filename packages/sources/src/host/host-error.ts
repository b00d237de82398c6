/**
 * The host's common request errors, as providers' routes raise them. Their codes are the Core
 * API's client-facing ones (the same an API client gets from the host's own routes); the host's
 * one error table gives each its HTTP status. A provider's own failures are SourcesErrors.
 */
export const HOST_ERROR_CODES = ['RUNTIME_UNAUTHORIZED', 'RUNTIME_FORBIDDEN', 'RUNTIME_INVALID_REQUEST', 'RUNTIME_INVALID_CURSOR', 'RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'] as const;

export type HostErrorCode = (typeof HOST_ERROR_CODES)[number];

export class HostError extends Error {
  readonly code: HostErrorCode;
  /** The request field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: HostErrorCode, message: string, options: { cause?: unknown; field?: string | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HostError';
    this.code = code;
    this.field = options.field;
  }
}

/** True when `err` carries the given code (a HostError, or the host's own error with the same code). */
export function hasErrorCode(err: unknown, code: string): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === code;
}
