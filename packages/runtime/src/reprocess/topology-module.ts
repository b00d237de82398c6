import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { RuntimeError } from '../errors.js';
import type { TopologyDefinition } from '../topologies/topology-definition.js';

/** Loads the topology definitions a module file exports (`parley run`'s module shape). */
export type TopologyModuleLoader = (file: string) => Promise<readonly TopologyDefinition[]>;

/**
 * The default loader: `import()` of the file (so `.js`/`.mjs`, or `.ts` where Node or a loader
 * already handles TypeScript), then its default export, else `topology`, else `topologies`. The
 * CLI passes its own loader, which also loads `.ts` modules.
 */
export const importTopologyModule: TopologyModuleLoader = async (file) => {
  const exported = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const found = exported.default ?? exported.topology ?? exported.topologies;
  return (Array.isArray(found) ? found : found === undefined ? [] : [found]) as TopologyDefinition[];
};

/**
 * The definition of topology `topology` in module `file`: the one named so, else the only one.
 * RUNTIME_REPROCESS_MODULE_INVALID (field `module`) when the file cannot be loaded or has no such definition.
 */
export async function loadModuleDefinition(load: TopologyModuleLoader, file: string, topology: string): Promise<TopologyDefinition> {
  if (!path.isAbsolute(file)) throw invalid(`module must be an absolute path, got ${file}`);
  let definitions: readonly TopologyDefinition[];
  try {
    definitions = await load(file);
  } catch (cause) {
    throw invalid(`cannot load ${file}: ${(cause as Error)?.message ?? cause}`, cause);
  }
  const usable = definitions.filter((d) => d !== null && typeof d === 'object' && typeof d.build === 'function');
  const chosen = usable.find((d) => d.name === topology) ?? (usable.length === 1 ? usable[0] : undefined);
  if (chosen === undefined) {
    throw invalid(usable.length === 0 ? `${file} exports no topology definition { applicationId, build }` : `${file} exports ${usable.length} topologies and none is named ${topology}`);
  }
  return chosen;
}

function invalid(message: string, cause?: unknown): RuntimeError {
  return new RuntimeError('RUNTIME_REPROCESS_MODULE_INVALID', message, { field: 'module', cause });
}
