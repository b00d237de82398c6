import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuntimeError } from './errors.js';

/**
 * The layout of a runtime's data directory. The CLI reads `auth/system-token` and `runtime.json`
 * by these names too (without importing this package), so they are a contract:
 *
 * ```
 * <dataDir>/log/                 the embedded log (topics, committed offsets)
 * <dataDir>/state/<appId>/       local state stores of each streams application
 * <dataDir>/auth/system-token    the generated system token (0600)
 * <dataDir>/auth/jwt-secret      the generated JWT signing secret (0600)
 * <dataDir>/runtime.json         { url, pid } while a runtime serves from this directory
 * <dataDir>/reprocess/           the reprocesses in progress and promoted versions (docs/reprocessing.md)
 * ```
 */
export class DataDir {
  readonly root: string;

  constructor(root: string) {
    if (typeof root !== 'string' || !path.isAbsolute(root)) throw new TypeError('DataDir needs an absolute path');
    this.root = root;
  }

  get logDir(): string {
    return path.join(this.root, 'log');
  }

  get stateDir(): string {
    return path.join(this.root, 'state');
  }

  get reprocessDir(): string {
    return path.join(this.root, 'reprocess');
  }

  get authDir(): string {
    return path.join(this.root, 'auth');
  }

  get systemTokenFile(): string {
    return path.join(this.authDir, 'system-token');
  }

  get jwtSecretFile(): string {
    return path.join(this.authDir, 'jwt-secret');
  }

  get runtimeFile(): string {
    return path.join(this.root, 'runtime.json');
  }

  /** Creates the directory and its `auth/` (0700) if missing; RUNTIME_DATA_DIR_INVALID when it cannot. */
  ensure(): void {
    try {
      fs.mkdirSync(this.root, { recursive: true });
      fs.mkdirSync(this.authDir, { recursive: true, mode: 0o700 });
      fs.accessSync(this.root, fs.constants.W_OK);
    } catch (cause) {
      throw new RuntimeError('RUNTIME_DATA_DIR_INVALID', `cannot use ${this.root} as the data directory: ${describeFsError(cause)}`, { cause });
    }
  }
}

const FS_CAUSES: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file of that name is in the way',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path has a symbolic link loop',
};

/** Why a file system call failed, in words, with its errno code (`the file system is read-only (EROFS)`). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return err instanceof Error ? err.message : String(err);
  return `${FS_CAUSES[code] ?? (err as Error).message} (${code})`;
}
