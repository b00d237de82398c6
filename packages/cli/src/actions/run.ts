import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as RuntimeModule from '@parley/runtime';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { serve, type StartOptions } from './start.js';

type TopologyDefinition = RuntimeModule.TopologyDefinition;

/**
 * `parley run <module>`: the platform, as `parley start` runs it, plus the topologies the
 * module exports, in one process on the configured log (embedded by default: one process owns it,
 * so a user's topology that reads the model topics must run beside the platform). `--bare` leaves
 * the platform out: the runtime's HTTP API (status, topics) and the given topologies only.
 */
export async function runAction(raw: Record<string, unknown>, io: CliIo, args: readonly string[]): Promise<void> {
  const options = raw as StartOptions & { bare?: boolean };
  await serve(options, io, { command: 'run', bare: options.bare === true, topologies: () => loadTopologyModule(path.resolve(io.cwd, args[0]!)) });
}

/**
 * The topology definitions a module exports: its default export, else `topology`, else
 * `topologies`; each one a definition or an array of them. `.ts` modules are loaded with tsx
 * (registered on demand when Node cannot load TypeScript itself).
 */
export async function loadTopologyModule(file: string): Promise<TopologyDefinition[]> {
  const exported = (await importModule(file)) as Record<string, unknown>;
  const found = exported.default ?? exported.topology ?? exported.topologies;
  if (found === undefined) throw new CliError('CLI_MODULE_INVALID', `${file} exports no topology: export default (or \`topology\`) a definition { applicationId, build }`);
  const list = Array.isArray(found) ? found : [found];
  return list.map((d, i) => checkDefinition(d, `${file}${list.length > 1 ? `[${i}]` : ''}`));
}

async function importModule(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  try {
    return await import(url);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(file)) throw new CliError('CLI_MODULE_INVALID', `cannot find the module ${file}`, { cause: err });
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    // A .ts module without a TypeScript loader in this process (Node 20 and 22 strip no types):
    // load it through tsx. Not by registering tsx and importing the same URL again: Node keeps
    // the failed import of that URL and would answer with the same error (found by the
    // pack-and-install test on Node 20). tsImport loads it under a namespace of its own.
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(url, import.meta.url);
  }
}

function checkDefinition(value: unknown, where: string): TopologyDefinition {
  const d = value as Partial<TopologyDefinition> | null;
  if (d === null || typeof d !== 'object') throw new CliError('CLI_MODULE_INVALID', `${where}: a topology definition is an object { applicationId, build }`);
  if (typeof d.applicationId !== 'string' || !/^[A-Za-z0-9._-]+$/.test(d.applicationId)) throw new CliError('CLI_MODULE_INVALID', `${where}: applicationId must be a string of letters, digits, . _ -`);
  if (typeof d.build !== 'function') throw new CliError('CLI_MODULE_INVALID', `${where}: build must be a function (ctx) => Topology`);
  return { ...d, name: typeof d.name === 'string' ? d.name : d.applicationId } as TopologyDefinition;
}
