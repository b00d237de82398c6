import { CliError } from './errors.js';
import type { CliIo } from './io.js';

/** One command-line option, declared as data; `commands/program.ts` turns these into commander options. */
export interface OptionSpec {
  /** Commander flag syntax: `-p, --port <n>`. */
  flags: string;
  description: string;
  /** Converts the raw string; throws CliError CLI_USAGE for a bad value. */
  parse?: (raw: string) => unknown;
}

/** A command's work; it receives the parsed options (camelCase keys: `dataDir`). */
export type CommandAction = (options: Record<string, unknown>, io: CliIo) => Promise<void>;

/** One command: its options, and its action, imported only when the command runs. */
export interface CommandSpec {
  name: string;
  description: string;
  options: readonly OptionSpec[];
  action: () => Promise<CommandAction>;
}

/** A TCP port: an integer from 0 (any free port) to 65535. */
export function parsePort(raw: string): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new CliError('CLI_USAGE', `not a port number: ${raw}`);
  return port;
}

export const START_OPTIONS: readonly OptionSpec[] = [
  { flags: '-c, --config <file>', description: 'YAML configuration file (default: $PARLEY_CONFIG, else ./parley.yaml when present)' },
  { flags: '-d, --data-dir <dir>', description: 'data directory: embedded log, state, generated secrets (default: ./.parley-data)' },
  { flags: '-p, --port <n>', description: 'HTTP port, 0 for any free one (default: 8080)', parse: parsePort },
  { flags: '--host <host>', description: 'interface to listen on (default: 127.0.0.1)' },
];

export const STATUS_OPTIONS: readonly OptionSpec[] = [
  { flags: '-u, --url <url>', description: "the runtime's URL (default: $PARLEY_URL, else the one the runtime of the data directory wrote, else http://127.0.0.1:8080)" },
  { flags: '-t, --token <token>', description: 'bearer token (default: $PARLEY_TOKEN, else the system token stored in the data directory)' },
  { flags: '-d, --data-dir <dir>', description: 'data directory to find the URL and token in (default: $PARLEY_DATA_DIR, else ./.parley-data)' },
  { flags: '--json', description: 'print the raw JSON answer' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    description: 'start the runtime in this process: HTTP API, topologies, webhooks (Ctrl+C stops it)',
    options: START_OPTIONS,
    action: async () => (await import('./actions/start.js')).startAction,
  },
  {
    name: 'status',
    description: "show the state and lag of the runtime's streams applications",
    options: STATUS_OPTIONS,
    action: async () => (await import('./actions/status.js')).statusAction,
  },
];
