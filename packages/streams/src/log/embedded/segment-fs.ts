import * as fs from 'node:fs';

/**
 * The file-system calls a segment makes, as a seam: production uses `node:fs`; tests pass a
 * layer that injects faults (ENOSPC, EIO) to prove a failed write never costs an acknowledged
 * record. Synchronous on purpose (see `Segment`).
 */
export interface SegmentFs {
  openSync(path: string, flags: string): number;
  closeSync(fd: number): void;
  writeSync(fd: number, buffer: Buffer, offset: number, length: number): number;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  fstatSync(fd: number): { size: number };
}

export const nodeSegmentFs: SegmentFs = {
  openSync: (path, flags) => fs.openSync(path, flags),
  closeSync: (fd) => fs.closeSync(fd),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  fdatasyncSync: (fd) => fs.fdatasyncSync(fd),
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
  fstatSync: (fd) => fs.fstatSync(fd),
};

/**
 * fsyncs a directory, so that a file created (or renamed) in it survives a power loss: a file's
 * own fdatasync does not make its directory entry durable.
 */
export function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
