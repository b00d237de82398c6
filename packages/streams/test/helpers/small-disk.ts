import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeSegmentFs, type SegmentFs } from '../../src/log/embedded/segment-fs.js';
import { tempDir } from './temp-dir.js';

/**
 * A disk that can be filled up and freed again, for disk-full tests: a real 2 MiB tmpfs when
 * the tests run as root and may mount one, otherwise a byte quota in the segment fs seam (the
 * same short write then ENOSPC a full file system gives).
 */
export interface SmallDisk {
  readonly kind: 'tmpfs' | 'fault layer';
  readonly dir: string;
  /** The `fs` option for EmbeddedLog (undefined on the tmpfs: the real node:fs). */
  readonly fs: SegmentFs | undefined;
  /** Fills the disk: writes fail with ENOSPC from now on. */
  fill(): void;
  /** Frees the space again. */
  free(): void;
  dispose(): void;
}

export function smallDisk(label: string): SmallDisk {
  return mountTmpfs(label) ?? quotaDisk(label);
}

function mountTmpfs(label: string): SmallDisk | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = tempDir(`${label}-tmpfs`);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const filler = path.join(dir, 'filler');
  return {
    kind: 'tmpfs',
    dir: path.join(dir, 'data'),
    fs: undefined,
    fill() {
      const fd = fs.openSync(filler, 'a');
      try {
        for (const size of [65536, 4096, 512, 1]) {
          const chunk = Buffer.alloc(size);
          try {
            for (;;) fs.writeSync(fd, chunk);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    dispose() {
      // Lazy: detaches even while a file on it is still open (a test that failed midway).
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    },
  };
}

function quotaDisk(label: string): SmallDisk {
  let full = false;
  const quotaFs: SegmentFs = {
    ...nodeSegmentFs,
    writeSync(fd, buffer, offset, length) {
      if (!full) return nodeSegmentFs.writeSync(fd, buffer, offset, length);
      // What a full file system does: a write that fits in the last block, then ENOSPC.
      const partial = Math.min(length, 7);
      if (partial > 0) nodeSegmentFs.writeSync(fd, buffer, offset, partial);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    },
  };
  return {
    kind: 'fault layer',
    dir: tempDir(label),
    fs: quotaFs,
    fill: () => (full = true),
    free: () => (full = false),
    dispose() {},
  };
}
