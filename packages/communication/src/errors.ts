/**
 * Every error the communication domain throws on purpose carries a stable `code` (C9). The codes
 * are the Core API's client-facing ones, unchanged since the domain lived in the runtime: an
 * API client sees the same `RUNTIME_NOT_FOUND` whichever layer found the id missing. Their HTTP
 * statuses are in the runtime's one error table (`packages/runtime/src/http/error-status.ts`).
 * Misuse of an API (a wrong argument type) throws a plain TypeError/RangeError instead.
 */
export const COMMUNICATION_ERROR_CODES = ['RUNTIME_INVALID_REQUEST', 'RUNTIME_INVALID_CURSOR', 'RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY', 'RUNTIME_STATE'] as const;

export type CommunicationErrorCode = (typeof COMMUNICATION_ERROR_CODES)[number];

export interface CommunicationErrorOptions {
  cause?: unknown;
  /** The request field at fault, as a dotted path (`cursor`). */
  field?: string;
}

export class CommunicationError extends Error {
  readonly code: CommunicationErrorCode;
  /** The request field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: CommunicationErrorCode, message: string, options: CommunicationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CommunicationError';
    this.code = code;
    this.field = options.field;
  }
}

/** True when `err` is a CommunicationError with the given code (any code when omitted). */
export function isCommunicationError(err: unknown, code?: CommunicationErrorCode): err is CommunicationError {
  return err instanceof CommunicationError && (code === undefined || err.code === code);
}
