import type { Runtime } from '../runtime.js';
import { ReprocessManager } from './reprocess-manager.js';
import { reprocessRoutes } from './reprocess-routes.js';
import { importTopologyModule, type TopologyModuleLoader } from './topology-module.js';

export interface ReprocessOptions {
  /** Loads `reprocess.start`'s `module`. Default: `import()` (`.js`; the CLI passes one that also loads `.ts`). */
  loadModule?: TopologyModuleLoader;
}

/** Adds side-by-side reprocessing to `runtime` (before start): the `reprocess.*` routes and the service that resumes shadows. */
export function registerReprocess(runtime: Runtime, options: ReprocessOptions = {}): ReprocessManager {
  const manager = new ReprocessManager({ runtime, loadModule: options.loadModule ?? importTopologyModule });
  for (const route of reprocessRoutes(manager)) runtime.registerRoute(route);
  runtime.registerService(manager.service());
  return manager;
}
