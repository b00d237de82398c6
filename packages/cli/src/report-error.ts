import { EXIT_CODES, isCliError, type RuntimeRequestError } from './errors.js';
import type { CliIo } from './io.js';

/** Codes of known errors from any Parley package: `PACKAGE_WORDS`. */
const KNOWN_CODE = /^(CLI|RUNTIME|STREAMS|SOURCES|SCHEMAS)_[A-Z0-9_]+$/;

/** Codes that mean the user must fix an argument or the configuration. */
const USAGE_CODES = new Set(['CLI_USAGE', 'CLI_ABORTED', 'CLI_MODULE_INVALID', 'CLI_AIRY_NOT_FOUND', 'RUNTIME_CONFIG_INVALID', 'RUNTIME_CONFIG_NOT_FOUND']);

/**
 * Prints an error and returns the exit code (C10): a known error is one line, `code: message`;
 * anything else is a bug, printed with a banner and its stack.
 */
export function reportError(err: unknown, io: CliIo): number {
  if (isCliError(err, 'CLI_REQUEST_FAILED') && typeof (err as RuntimeRequestError).remoteCode === 'string') {
    const { remoteCode, status } = err as RuntimeRequestError;
    io.stderr(`${remoteCode}: ${err.message} (HTTP ${status})\n`);
    return EXIT_CODES.refused;
  }
  const code = (err as { code?: unknown })?.code;
  if (err instanceof Error && typeof code === 'string' && KNOWN_CODE.test(code)) {
    io.stderr(`${code}: ${err.message}\n`);
    if (USAGE_CODES.has(code)) return EXIT_CODES.usage;
    if (isCliError(err, 'CLI_RUNTIME_UNREACHABLE') || isCliError(err, 'CLI_AIRY_UNREACHABLE')) return EXIT_CODES.unreachable;
    if (isCliError(err, 'CLI_INVALID_RESPONSE') || isCliError(err, 'CLI_REQUEST_FAILED') || isCliError(err, 'CLI_REPROCESS_FAILED')) return EXIT_CODES.refused;
    return EXIT_CODES.startFailed;
  }
  const banner = '⎯'.repeat(20);
  const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  io.stderr(`\n${banner} Unexpected error ${banner}\n${detail}\n\nThis is a bug in parley: please report it with the output above.\n`);
  return EXIT_CODES.internal;
}
