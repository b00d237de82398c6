import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuntimeError } from '../errors.js';

export interface SecretFileResult {
  value: string;
  /** True when this call generated the value (first start). */
  created: boolean;
  /** True when the file was readable by others and its mode was set back to 0600. */
  permissionsFixed: boolean;
}

/**
 * Reads a secret from `file`, or generates one and stores it with mode 0600. The write goes to a
 * temporary file first and is renamed into place, so a crash never leaves a half-written secret;
 * a concurrent first start that loses the rename race reads the winner's value.
 */
export function readOrCreateSecretFile(file: string, generate: () => string): SecretFileResult {
  const existing = readSecret(file);
  if (existing !== undefined) return existing;
  const value = generate();
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
    fs.linkSync(tmp, file);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return readSecret(file) ?? unreadable(file);
    throw new RuntimeError('RUNTIME_DATA_DIR_INVALID', `cannot write ${file}`, { cause });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return { value, created: true, permissionsFixed: false };
}

function readSecret(file: string): SecretFileResult | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RuntimeError('RUNTIME_DATA_DIR_INVALID', `cannot read ${file}`, { cause });
  }
  const value = text.trim();
  if (value.length === 0) return unreadable(file);
  let permissionsFixed = false;
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    fs.chmodSync(file, 0o600);
    permissionsFixed = true;
  }
  return { value, created: false, permissionsFixed };
}

function unreadable(file: string): never {
  throw new RuntimeError('RUNTIME_DATA_DIR_INVALID', `${file} is empty: delete it to have a new secret generated`);
}
