import type { RuntimeConfig, RuntimeConfigInput } from './config/config-schema.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
import { registerCustomSource } from './sources/register-custom-source.js';

/**
 * The whole platform as `parley start` runs it: the runtime with everything Parley ships
 * registered on it — today the Source API (custom sources: management routes, the token-checked
 * webhook, and their router and connector topologies). The communication read model and the
 * provider sources register here as they land.
 */
export function createPlatform(config: RuntimeConfigInput | RuntimeConfig, options: RuntimeOptions = {}): Runtime {
  const runtime = createRuntime(config, options);
  registerCustomSource(runtime);
  return runtime;
}
