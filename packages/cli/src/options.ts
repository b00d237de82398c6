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

/** A positional argument (`<topic>`), always required. */
export interface ArgumentSpec {
  name: string;
  description: string;
}

/** A command's work; it receives the parsed options (camelCase keys: `dataDir`) and the positional arguments. */
export type CommandAction = (options: Record<string, unknown>, io: CliIo, args: readonly string[]) => Promise<void>;

/** One command: its arguments and options and its action (imported only when it runs), or subcommands. */
export interface CommandSpec {
  name: string;
  description: string;
  arguments?: readonly ArgumentSpec[];
  options?: readonly OptionSpec[];
  action?: () => Promise<CommandAction>;
  subcommands?: readonly CommandSpec[];
}

/** A TCP port: an integer from 0 (any free port) to 65535. */
export function parsePort(raw: string): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new CliError('CLI_USAGE', `not a port number: ${raw}`);
  return port;
}

/** A whole number from `min` up. */
export function parseCount(min: number): (raw: string) => number {
  return (raw) => {
    const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min)) throw new CliError('CLI_USAGE', `not a whole number ≥ ${min}: ${raw}`);
    return n;
  };
}

/** `earliest`, `latest`, or a time: an ISO 8601 date or milliseconds since the epoch. */
export function parseFrom(raw: string): 'earliest' | 'latest' | number {
  if (raw === 'earliest' || raw === 'latest') return raw;
  const ms = /^\d+$/.test(raw) ? Number(raw) : /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isSafeInteger(ms) || ms < 0) throw new CliError('CLI_USAGE', `--from takes earliest, latest, an ISO date or epoch milliseconds, not ${raw}`);
  return ms;
}

/** Kafka bootstrap brokers: a comma-separated list of host:port. */
export function parseBrokers(raw: string): string[] {
  const brokers = raw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  const wrong = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (brokers.length === 0 || wrong !== undefined) throw new CliError('CLI_USAGE', `--brokers takes host:port[,host:port…], not ${raw}`);
  return brokers;
}

/** An Airy installation's topic prefix (its AIRY_CORE_NAMESPACE), with or without the trailing dot. */
export function parseTopicsPrefix(raw: string): string {
  const prefix = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(prefix)) throw new CliError('CLI_USAGE', `--topics-prefix takes 1-64 characters of [a-zA-Z0-9_-] (Airy's namespace), not ${raw}`);
  return prefix;
}

export const START_OPTIONS: readonly OptionSpec[] = [
  { flags: '-c, --config <file>', description: 'YAML configuration file (default: $PARLEY_CONFIG, else ./parley.yaml when present)' },
  { flags: '-d, --data-dir <dir>', description: 'data directory: embedded log, state, generated secrets (default: ./.parley-data)' },
  { flags: '-p, --port <n>', description: 'HTTP port, 0 for any free one (default: 8080)', parse: parsePort },
  { flags: '--host <host>', description: 'interface to listen on (default: 127.0.0.1)' },
];

/** How every client command finds the runtime, and `--json`. */
export const CLIENT_OPTIONS: readonly OptionSpec[] = [
  { flags: '-u, --url <url>', description: "the runtime's URL (default: $PARLEY_URL, else the one the runtime of the data directory wrote, else http://127.0.0.1:8080)" },
  { flags: '-t, --token <token>', description: 'bearer token (default: $PARLEY_TOKEN, else the system token stored in the data directory)' },
  { flags: '-d, --data-dir <dir>', description: 'data directory to find the URL and token in (default: $PARLEY_DATA_DIR, else ./.parley-data)' },
  { flags: '--json', description: 'print JSON instead of text' },
];

/** Kept for callers of the first version: `parley status` takes the client options. */
export const STATUS_OPTIONS = CLIENT_OPTIONS;

const topics = async () => import('./actions/topics.js');
const reprocess = async () => import('./actions/reprocess.js');
/** `--topology`: which reprocess, when more than one is in progress. */
const TOPOLOGY_OPTION: OptionSpec = { flags: '--topology <name>', description: 'the topology whose reprocess this is (default: the one in progress)' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    description: 'start the runtime in this process: HTTP API, topologies, webhooks (Ctrl+C stops it)',
    options: START_OPTIONS,
    action: async () => (await import('./actions/start.js')).startAction,
  },
  {
    name: 'run',
    description: "run your own topology module (.ts or .js) beside the platform, like `start` (Ctrl+C stops it)",
    arguments: [{ name: 'module', description: 'a module exporting a topology definition { name?, applicationId, topics?, build } (default export, or `topology`)' }],
    options: [...START_OPTIONS, { flags: '--bare', description: "leave the platform's topologies out: the runtime's HTTP API and this topology only" }],
    action: async () => (await import('./actions/run.js')).runAction,
  },
  {
    name: 'status',
    description: "show the runtime's health and the state and lag of its streams applications",
    options: CLIENT_OPTIONS,
    action: async () => (await import('./actions/status.js')).statusAction,
  },
  {
    name: 'topics',
    description: "list, inspect, read, write and delete the log's topics (through the runtime)",
    subcommands: [
      {
        name: 'list',
        description: 'the topics with their partitions and record counts',
        options: [{ flags: '--prefix <prefix>', description: 'only topics whose name starts with this' }, ...CLIENT_OPTIONS],
        action: async () => (await topics()).topicsListAction,
      },
      {
        name: 'describe',
        description: "a topic's configuration, partitions and offsets",
        arguments: [{ name: 'topic', description: 'the topic name' }],
        options: CLIENT_OPTIONS,
        action: async () => (await topics()).topicsDescribeAction,
      },
      {
        name: 'tail',
        description: 'print records, keys and values decoded (Avro records as JSON); --json prints one JSON object per line',
        arguments: [{ name: 'topic', description: 'the topic name' }],
        options: [
          { flags: '--from <where>', description: 'earliest (default), latest, an ISO date or epoch milliseconds', parse: parseFrom },
          { flags: '-f, --follow', description: 'keep printing new records until Ctrl+C' },
          { flags: '-n, --max <n>', description: 'stop after this many records', parse: parseCount(1) },
          ...CLIENT_OPTIONS,
        ],
        action: async () => (await topics()).topicsTailAction,
      },
      {
        name: 'produce',
        description: 'append a record (--value), or one record per line of standard input',
        arguments: [{ name: 'topic', description: 'the topic name' }],
        options: [
          { flags: '-k, --key <key>', description: 'the key of every record (default: none)' },
          { flags: '-v, --value <value>', description: 'the value (UTF-8); without it each line of standard input is one record' },
          { flags: '--partition <n>', description: 'the partition (default: chosen from the key)', parse: parseCount(0) },
          { flags: '--create', description: 'create the topic (one partition) when it does not exist' },
          ...CLIENT_OPTIONS,
        ],
        action: async () => (await topics()).topicsProduceAction,
      },
      {
        name: 'delete',
        description: 'delete a topic and its records, after typing its name (or --yes)',
        arguments: [{ name: 'topic', description: 'the topic name' }],
        options: [{ flags: '-y, --yes', description: 'do not ask for confirmation' }, ...CLIENT_OPTIONS],
        action: async () => (await topics()).topicsDeleteAction,
      },
    ],
  },
  {
    name: 'reprocess',
    description: 'fix a topology and its past: run the fixed version side by side, compare, promote (docs/reprocessing.md)',
    subcommands: [
      {
        name: 'start',
        description: "run a shadow copy of a topology from its retained inputs beside the live one, and show its progress until it caught up",
        arguments: [{ name: 'topology', description: 'the live topology (`parley status` lists them), e.g. custom-router' }],
        options: [
          { flags: '--with <module>', description: 'the fixed topology module (.ts or .js, the `parley run` shape); default: the registered definition' },
          { flags: '--from <where>', description: 'earliest (default) or a time: an ISO date or epoch milliseconds', parse: parseFrom },
          { flags: '--detach', description: 'return once the shadow runs, without waiting for it to catch up' },
          ...CLIENT_OPTIONS,
        ],
        action: async () => (await reprocess()).reprocessStartAction,
      },
      {
        name: 'status',
        description: 'the reprocesses in progress: phase, and per input records, rate, lag and ETA',
        options: [TOPOLOGY_OPTION, ...CLIENT_OPTIONS],
        action: async () => (await reprocess()).reprocessStatusAction,
      },
      {
        name: 'diff',
        description: 'compare the shadow outputs with the live ones by key: added, removed, changed, with samples',
        options: [TOPOLOGY_OPTION, { flags: '-n, --samples <n>', description: 'changed keys shown per output (default 5, at most 100)', parse: parseCount(0) }, ...CLIENT_OPTIONS],
        action: async () => (await reprocess()).reprocessDiffAction,
      },
      {
        name: 'promote',
        description: 'make the caught-up shadow the live version: only keys that differ are written (as updates)',
        options: [TOPOLOGY_OPTION, ...CLIENT_OPTIONS],
        action: async () => (await reprocess()).reprocessPromoteAction,
      },
      {
        name: 'rollback',
        description: 'return a promoted reprocess to the version before it, writing the old values back',
        options: [TOPOLOGY_OPTION, ...CLIENT_OPTIONS],
        action: async () => (await reprocess()).reprocessRollbackAction,
      },
      {
        name: 'finalize',
        description: 'keep the promoted version for good: remove the old version and the shadow topics',
        options: [TOPOLOGY_OPTION, ...CLIENT_OPTIONS],
        action: async () => (await reprocess()).reprocessFinalizeAction,
      },
      {
        name: 'abort',
        description: 'stop a running shadow and remove it; the live version is untouched',
        options: [TOPOLOGY_OPTION, ...CLIENT_OPTIONS],
        action: async () => (await reprocess()).reprocessAbortAction,
      },
    ],
  },
  {
    name: 'config',
    description: 'work with the configuration file',
    subcommands: [
      {
        name: 'validate',
        description: 'check a configuration (file, PARLEY_* variables) without starting anything; prints it with secrets redacted',
        options: [
          { flags: '-c, --config <file>', description: 'YAML configuration file (default: $PARLEY_CONFIG, else ./parley.yaml when present)' },
          { flags: '--json', description: 'print the resolved configuration as JSON' },
        ],
        action: async () => (await import('./actions/config-validate.js')).configValidateAction,
      },
    ],
  },
  {
    name: 'import',
    description: 'bring history over from another platform into a running Parley',
    subcommands: [
      {
        name: 'airy',
        description: "copy an Airy Core installation's channels, messages, metadata, contacts, read receipts, tags, templates and sources from its Kafka, keeping Airy's ids (run it again: nothing doubles)",
        options: [
          { flags: '-b, --brokers <host:port,…>', description: "Airy's Kafka bootstrap brokers (required)", parse: parseBrokers },
          { flags: '--topics-prefix <prefix>', description: "Airy's AIRY_CORE_NAMESPACE when its topics are <prefix>.application.communication.* (default: none)", parse: parseTopicsPrefix },
          { flags: '--schema-registry <url>', description: "Airy's schema registry: read each record with the writer schema its id names (default: try the Airy schema versions the importer knows)" },
          { flags: '--dry-run', description: 'read and compare, write nothing: the summary counts what would be written' },
          ...CLIENT_OPTIONS,
        ],
        action: async () => (await import('./actions/import-airy.js')).importAiryAction,
      },
    ],
  },
  {
    name: 'token',
    description: 'mint a user JWT the runtime accepts (needs the system token)',
    options: [
      { flags: '-s, --subject <user>', description: 'the user the token speaks for (its sub claim); required' },
      { flags: '-e, --expires-in <seconds>', description: 'lifetime in seconds (default: never expires)', parse: parseCount(1) },
      ...CLIENT_OPTIONS,
    ],
    action: async () => (await import('./actions/token.js')).tokenAction,
  },
];
