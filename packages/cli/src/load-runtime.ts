import type * as RuntimeModule from '@parley/runtime';
import { CliError } from './errors.js';

/**
 * Loads @parley/runtime for the local commands (`start`, `run`, `config validate`, `import airy`): the one place the
 * CLI imports it, on demand, so the HTTP commands never load express, kafkajs or classic-level.
 */
export async function loadRuntimeModule(command: string): Promise<typeof RuntimeModule> {
  try {
    return await import('@parley/runtime');
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes('@parley/runtime');
    if (missing) throw new CliError('CLI_RUNTIME_NOT_INSTALLED', `\`parley ${command}\` needs @parley/runtime: npm install @parley/runtime`, { cause: err });
    throw err;
  }
}
