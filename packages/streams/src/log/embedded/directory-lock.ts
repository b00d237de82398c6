import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamsError } from '../../errors.js';

const lockedHere = new Set<string>();

/**
 * Makes sure only one EmbeddedLog uses a directory: a LOCK file holding the owner's pid. A lock
 * left by a process that no longer runs (it crashed) is taken over.
 */
export function acquireDirectoryLock(dir: string): () => void {
  const file = path.join(dir, 'LOCK');
  const resolved = path.resolve(file);
  if (lockedHere.has(resolved)) throw new StreamsError('STREAMS_LOG_LOCKED', `${dir} is already open in this process`);
  const owner = readOwner(file);
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
    throw new StreamsError('STREAMS_LOG_LOCKED', `${dir} is in use by process ${owner}`);
  }
  fs.writeFileSync(file, String(process.pid));
  lockedHere.add(resolved);
  return () => {
    lockedHere.delete(resolved);
    fs.rmSync(file, { force: true });
  };
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
