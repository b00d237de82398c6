import type * as RuntimeModule from '@parley/runtime';
import type { CliIo } from '../io.js';
import { loadRuntimeModule } from '../load-runtime.js';
import { systemTokenFile } from '../local-files.js';

export interface StartOptions {
  config?: string;
  dataDir?: string;
  port?: number;
  host?: string;
}

type Runtime = RuntimeModule.Runtime;

/**
 * `parley start`: runs the runtime in this process (a local operation: the CLI loads
 * @parley/runtime on demand) until SIGINT or SIGTERM, then stops it gracefully.
 */
export async function startAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  await serve(raw as StartOptions, io, { command: 'start' });
}

/** What `parley run` adds to `parley start`: topologies of its own, and whether to leave the platform out. */
export interface ServeExtras {
  command: string;
  topologies?: (runtime: typeof RuntimeModule) => Promise<RuntimeModule.TopologyDefinition[]>;
  /** Only the runtime (HTTP API, apps.status, topics) and the given topologies, without the platform's. */
  bare?: boolean;
}

/** Starts the platform (or a bare runtime) with the configuration and flags, until a stop signal. */
export async function serve(options: StartOptions, io: CliIo, extras: ServeExtras): Promise<void> {
  const runtimeModule = await loadRuntimeModule(extras.command);
  const { loadConfig, createPlatform, createRuntime } = runtimeModule;
  const config = loadConfig({
    file: options.config,
    env: io.env,
    cwd: io.cwd,
    overrides: { dataDir: options.dataDir, http: { port: options.port, host: options.host } },
  });
  const topologies = (await extras.topologies?.(runtimeModule)) ?? [];
  const runtimeOptions = { logging: { format: process.stderr.isTTY ? ('pretty' as const) : ('json' as const) }, topologies };
  // `parley reprocess start --with` modules load like `parley run`'s (.ts too).
  const reprocess = { loadModule: async (file: string) => (await import('./run.js')).loadTopologyModule(file) };
  const runtime = extras.bare === true ? createRuntime(config, runtimeOptions) : createPlatform(config, { ...runtimeOptions, reprocess });
  const signals = stopSignals();
  try {
    await runtime.start();
    io.stdout(banner(runtime));
    const signal = await signals.next;
    io.stdout(`\n${signal}: stopping…\n`);
    await runtime.stop();
    io.stdout('stopped\n');
  } finally {
    signals.dispose();
  }
}

/**
 * The first SIGINT/SIGTERM stops gracefully; another one at least a second later exits at once.
 * (Under `npm start` one Ctrl+C arrives twice: from the terminal and forwarded by npm.)
 */
function stopSignals(): { next: Promise<NodeJS.Signals>; dispose(): void } {
  let first: number | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const next = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const onSignal = (signal: NodeJS.Signals) => {
    if (first === undefined) {
      first = Date.now();
      resolve(signal);
    } else if (Date.now() - first >= 1000) {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    next,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function banner(runtime: Runtime): string {
  const { url, config } = runtime;
  const tokenFile = systemTokenFile(runtime.dataDir.root);
  const lines = [`Parley is running at ${url}`, `  inbox           ${url}/ui/`, `  data directory  ${runtime.dataDir.root}`, `  log             ${config.log.backend}`, `  topologies      ${[...runtime.apps.keys()].join(', ') || '(none)'}`];
  let tokenHint = '';
  switch (runtime.systemTokenOrigin) {
    case 'generated':
      lines.push(`  system token    ${runtime.systemToken}`, `                  (shown this once; it is stored in ${tokenFile})`);
      tokenHint = `export PARLEY_TOKEN=$(cat ${tokenFile})`;
      break;
    case 'data-dir':
      lines.push(`  system token    stored in ${tokenFile}`);
      tokenHint = `export PARLEY_TOKEN=$(cat ${tokenFile})`;
      break;
    case 'config':
      lines.push('  system token    the one in the configuration (auth.systemToken)');
      tokenHint = 'export PARLEY_TOKEN=<your auth.systemToken>';
      break;
    default:
      lines.push('  auth            DISABLED: anyone who can reach the port has full access');
  }
  const setupUrl = 'firstAdminSetupUrl' in runtime ? (runtime as RuntimeModule.Platform).firstAdminSetupUrl() : undefined;
  if (setupUrl !== undefined) lines.push('', 'No inbox user exists yet. Create the first admin (this link works once):', `  ${setupUrl}`);
  const auth = tokenHint === '' ? '' : ' -H "Authorization: Bearer $PARLEY_TOKEN"';
  lines.push(
    '',
    'Try:',
    `  curl ${url}/health`,
    ...(tokenHint === '' ? [] : [`  ${tokenHint}`]),
    `  curl -X POST ${url}/client.config${auth} -d '{}'`,
    '',
    '  # a custom source, a channel of it, one inbound message, then the conversations:',
    `  curl -X POST ${url}/sources.create${auth} -d '{"id": "my-shop"}'   # prints the source token once`,
    '  export SOURCE_TOKEN=<the "token" of that answer>',
    `  curl -X POST ${url}/sources.channels.create${auth} -d '{"source_id": "my-shop", "source_channel_id": "web"}'`,
    `  curl -X POST ${url}/sources.webhook -H "Authorization: Bearer $SOURCE_TOKEN" -d '{"messages": [{"source_message_id": "m-1", "source_conversation_id": "ada", "source_channel_id": "web", "sent_at": ${Date.now()}, "content": {"text": "hello"}, "from_contact": true}]}'`,
    `  curl -X POST ${url}/conversations.list${auth} -d '{}'`,
    '',
    `  parley status --data-dir ${runtime.dataDir.root}`,
    `  API reference: ${url}/openapi.json`,
    '',
    'Press Ctrl+C to stop.',
    '',
  );
  return lines.join('\n');
}
