import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Runs `body` with a fresh temporary directory, removed afterwards. */
export async function withTempDir<T>(label: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-bench-${label}-`));
  try {
    return await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
