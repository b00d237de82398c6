import { nodeSegmentFs, type SegmentFs } from '../log/embedded/segment-fs.js';

/** The calls of a segment a fault can be injected into. */
export type FaultyCall = 'open' | 'write' | 'fdatasync' | 'truncate';

export interface Fault {
  /** The system error code the call fails with: ENOSPC, EIO, EAGAIN… */
  code: string;
  /** For a write: bytes really written before it fails (a short write leaving a partial frame). */
  partialBytes?: number;
}

/**
 * A fault-injecting file system for `EmbeddedLog`'s `fs` option: passes every call to node:fs
 * unless a fault is armed for it. `failAll` models a full disk (every call of that kind fails
 * until `clear`); `failNext` a transient error; `plan` decides call by call (a random schedule).
 */
export class FaultyFs implements SegmentFs {
  readonly #base: SegmentFs;
  readonly #always = new Map<FaultyCall, Fault>();
  readonly #next = new Map<FaultyCall, Fault[]>();
  /** Calls made so far, per kind (counted whether they failed or not). */
  readonly calls: Record<FaultyCall, number> = { open: 0, write: 0, fdatasync: 0, truncate: 0 };
  /** Faults injected so far. */
  injected = 0;
  /** Asked on every call not failed otherwise, with the segment file it is for; return a fault to inject it. */
  plan: ((call: FaultyCall, index: number, file: string) => Fault | undefined) | undefined;
  readonly #files = new Map<number, string>();

  constructor(base: SegmentFs = nodeSegmentFs) {
    this.#base = base;
  }

  /** Every `call` fails with `fault` until `clear()` (a full disk, a dead device). */
  failAll(call: FaultyCall, fault: Fault): this {
    this.#always.set(call, fault);
    return this;
  }

  /** The next `times` calls of this kind fail with `fault`. */
  failNext(call: FaultyCall, fault: Fault, times = 1): this {
    const queue = this.#next.get(call) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.#next.set(call, queue);
    return this;
  }

  /** Disarms every fault (the disk has room again); `plan` too. */
  clear(): this {
    this.#always.clear();
    this.#next.clear();
    this.plan = undefined;
    return this;
  }

  openSync(path: string, flags: string): number {
    this.#maybeFail('open', path);
    const fd = this.#base.openSync(path, flags);
    this.#files.set(fd, path);
    return fd;
  }

  closeSync(fd: number): void {
    this.#files.delete(fd);
    this.#base.closeSync(fd);
  }

  writeSync(fd: number, buffer: Buffer, offset: number, length: number): number {
    const fault = this.#faultFor('write', this.#files.get(fd) ?? '');
    if (fault === undefined) return this.#base.writeSync(fd, buffer, offset, length);
    const partial = Math.min(fault.partialBytes ?? 0, length);
    if (partial > 0) this.#base.writeSync(fd, buffer, offset, partial);
    throw systemError(fault.code, 'write');
  }

  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
    return this.#base.readSync(fd, buffer, offset, length, position);
  }

  fdatasyncSync(fd: number): void {
    this.#maybeFail('fdatasync', this.#files.get(fd) ?? '');
    this.#base.fdatasyncSync(fd);
  }

  ftruncateSync(fd: number, length: number): void {
    this.#maybeFail('truncate', this.#files.get(fd) ?? '');
    this.#base.ftruncateSync(fd, length);
  }

  fstatSync(fd: number): { size: number } {
    return this.#base.fstatSync(fd);
  }

  #maybeFail(call: FaultyCall, file: string): void {
    const fault = this.#faultFor(call, file);
    if (fault !== undefined) throw systemError(fault.code, call);
  }

  #faultFor(call: FaultyCall, file: string): Fault | undefined {
    const index = this.calls[call]++;
    const fault = this.#next.get(call)?.shift() ?? this.#always.get(call) ?? this.plan?.(call, index, file);
    if (fault !== undefined) this.injected++;
    return fault;
  }
}

function systemError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected fault, ${syscall}`), { code, syscall });
}
