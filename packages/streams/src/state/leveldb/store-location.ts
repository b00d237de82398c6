import path from 'node:path';

/**
 * The directory of one store: `<dir>/<name>`. The name becomes a single path segment, so it may
 * not contain a path separator or be `.`/`..` (TypeError), which would let two stores share or
 * escape their directory.
 */
export function storeLocation(dir: string, name: string): string {
  if (typeof dir !== 'string' || dir.length === 0) throw new TypeError('A LevelDB store needs a non-empty `dir`');
  if (name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new TypeError(`A LevelDB store name must be usable as a directory name: "${name}"`);
  }
  return path.join(dir, name);
}
