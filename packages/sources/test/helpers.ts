import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedLog } from '@parley/streams/embedded';
import { CustomSourceManager } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A fixture of `test/custom/fixtures/`, as raw bytes (what a webhook receives). */
export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(here, 'custom', 'fixtures', name));
}

/** A fixture parsed as JSON. */
export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixture(name).toString('utf8')) as T;
}

/** An open EmbeddedLog in a fresh temp dir; `cleanup` closes it and removes the dir. */
export async function openTempLog(label: string): Promise<{ log: EmbeddedLog; dir: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-sources-${label}-`));
  const log = new EmbeddedLog({ dir: path.join(dir, 'log'), maintenanceIntervalMs: 0 });
  await log.open();
  return {
    log,
    dir,
    cleanup: async () => {
      await log.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A manager over `log` with its topics created. */
export async function managerOn(log: EmbeddedLog, clock?: () => number): Promise<CustomSourceManager> {
  const manager = new CustomSourceManager({ log, ...(clock === undefined ? {} : { clock }) });
  await manager.ensureTopics();
  return manager;
}

/** The `code` of the error `promise` rejects with; undefined when it resolves. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}
