/**
 * `@parley/cli`: the `parley` command. `parley start` runs the runtime in-process; every other
 * command is a thin client of the runtime's HTTP API (`RuntimeClient`).
 */
import * as fs from 'node:fs';
import { runProgram } from './commands/program.js';
import { processIo, type CliIo } from './io.js';

export { CliError, RuntimeRequestError, isCliError, CLI_ERROR_CODES, EXIT_CODES } from './errors.js';
export type { CliErrorCode, CliErrorOptions } from './errors.js';
export { RuntimeClient } from './runtime-client.js';
export type { AppStatus, AppsStatusResponse, ClientConfigResponse, RuntimeClientOptions } from './runtime-client.js';
export type { CliIo } from './io.js';

/** This package's version (from package.json, one level above src/ and dist/). */
export const CLI_VERSION: string = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Runs `parley` with `argv` (process.argv shape) and resolves with the exit code. Known errors
 * print one line `code: message`; unexpected ones a banner and the stack.
 */
export function run(argv: readonly string[] = process.argv, io: CliIo = processIo()): Promise<number> {
  return runProgram(argv, io, CLI_VERSION);
}
