import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where a runtime keeps what a local CLI may read. These names are the runtime's data directory
 * contract (see `DataDir` in @parley/runtime); they are repeated here so that the CLI does not
 * import the runtime for commands that only talk HTTP.
 */
export const DEFAULT_DATA_DIR = '.parley-data';
export const DEFAULT_URL = 'http://127.0.0.1:8080';

export function systemTokenFile(dataDir: string): string {
  return path.join(dataDir, 'auth', 'system-token');
}

export function runtimeFile(dataDir: string): string {
  return path.join(dataDir, 'runtime.json');
}

/** The system token stored in a data directory, if there is one and it can be read. */
export function readSystemToken(dataDir: string): string | undefined {
  try {
    const token = fs.readFileSync(systemTokenFile(dataDir), 'utf8').trim();
    return token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}

/** The URL a runtime serving from this data directory wrote, if any. */
export function readRuntimeUrl(dataDir: string): string | undefined {
  try {
    const { url } = JSON.parse(fs.readFileSync(runtimeFile(dataDir), 'utf8')) as { url?: unknown };
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}
