/**
 * Every error the CLI reports on purpose carries a stable `code` (C9) and an exit code. The
 * README's "Errors" section lists every code; a test keeps the two in step.
 */
export const CLI_ERROR_CODES = ['CLI_USAGE', 'CLI_RUNTIME_UNREACHABLE', 'CLI_REQUEST_FAILED', 'CLI_INVALID_RESPONSE', 'CLI_RUNTIME_NOT_INSTALLED', 'CLI_ABORTED', 'CLI_MODULE_INVALID', 'CLI_REPROCESS_FAILED', 'CLI_AIRY_UNREACHABLE', 'CLI_AIRY_NOT_FOUND'] as const;

export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

/** Process exit codes (the README's "Exit codes" table). */
export const EXIT_CODES = {
  /** Success. */
  ok: 0,
  /** An unexpected error (a bug): a banner and the stack are printed. */
  internal: 1,
  /** Bad arguments or a bad configuration. */
  usage: 2,
  /** The runtime could not be reached. */
  unreachable: 3,
  /** The runtime answered with an error. */
  refused: 4,
  /** `parley start` could not start the runtime. */
  startFailed: 5,
} as const;

export interface CliErrorOptions {
  cause?: unknown;
}

export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
  }
}

/** The runtime answered with an error body `{ message, code }` (CLI_REQUEST_FAILED). */
export class RuntimeRequestError extends CliError {
  /** HTTP status of the answer. */
  readonly status: number;
  /** The runtime's own error code (`RUNTIME_UNAUTHORIZED`, …). */
  readonly remoteCode: string;

  constructor(status: number, remoteCode: string, message: string) {
    super('CLI_REQUEST_FAILED', message);
    this.name = 'RuntimeRequestError';
    this.status = status;
    this.remoteCode = remoteCode;
  }
}

/**
 * True when `err` is a CliError with the given code (any code when omitted). Checked by code, not
 * by class: a module loaded twice (CommonJS and ESM copies) has two CliError classes.
 */
export function isCliError(err: unknown, code?: CliErrorCode): err is CliError {
  const actual = (err as { code?: unknown })?.code;
  return err instanceof Error && (CLI_ERROR_CODES as readonly unknown[]).includes(actual) && (code === undefined || actual === code);
}
