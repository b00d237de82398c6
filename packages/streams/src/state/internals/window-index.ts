import { readStart, writeStart } from './window-key.js';
import { SortedBufferMap } from './sorted-map.js';

/** One live window: which key, which start. */
export interface WindowRef {
  key: Buffer;
  windowStart: number;
}

/**
 * The in-memory index of a window store's live windows, so that window lookups stay synchronous
 * whatever the backend: per key, the sorted window starts; across keys, every window ordered by
 * (start, key bytes) for time scans and for dropping the oldest windows.
 */
export class WindowIndex {
  /** latin1 string of the key -> sorted window starts. */
  readonly #byKey = new Map<string, number[]>();
  /** 8-byte big-endian start + key bytes -> nothing; ordered by time, then key. */
  readonly #byTime = new SortedBufferMap<undefined>();

  get size(): number {
    return this.#byTime.size;
  }

  has(key: Buffer, windowStart: number): boolean {
    const starts = this.#byKey.get(key.toString('latin1'));
    return starts !== undefined && binarySearch(starts, windowStart) >= 0;
  }

  add(key: Buffer, windowStart: number): void {
    const id = key.toString('latin1');
    let starts = this.#byKey.get(id);
    if (starts === undefined) this.#byKey.set(id, (starts = []));
    const at = binarySearch(starts, windowStart);
    if (at >= 0) return;
    starts.splice(-at - 1, 0, windowStart);
    this.#byTime.set(timeKey(key, windowStart), undefined);
  }

  /** Returns whether the window was there. */
  remove(key: Buffer, windowStart: number): boolean {
    const id = key.toString('latin1');
    const starts = this.#byKey.get(id);
    const at = starts === undefined ? -1 : binarySearch(starts, windowStart);
    if (starts === undefined || at < 0) return false;
    starts.splice(at, 1);
    if (starts.length === 0) this.#byKey.delete(id);
    this.#byTime.delete(timeKey(key, windowStart));
    return true;
  }

  /** Window starts of `key` within [from, to], ascending. */
  startsOf(key: Buffer, from: number, to: number): number[] {
    const starts = this.#byKey.get(key.toString('latin1'));
    if (starts === undefined) return [];
    const lo = insertionPoint(starts, from);
    let hi = insertionPoint(starts, to);
    if (hi < starts.length && starts[hi] === to) hi++;
    return starts.slice(lo, hi);
  }

  /** Every window with start in [from, to], ordered by start then key; a snapshot of now. */
  *byTime(from: number, to: number): Generator<WindowRef> {
    const lower = Buffer.alloc(8);
    writeStart(lower, 0, from);
    for (const [entry] of this.#byTime.clone().entries({ gte: lower, reverse: false })) {
      const windowStart = readStart(entry, 0);
      if (windowStart > to) return;
      yield { key: entry.subarray(8), windowStart };
    }
  }

  /** Removes and returns the windows that start before `bound`. */
  removeOlderThan(bound: number): WindowRef[] {
    const expired: WindowRef[] = [];
    if (!(bound > 0)) return expired;
    for (const ref of this.byTime(0, bound - 1)) expired.push(ref);
    for (const { key, windowStart } of expired) this.remove(key, windowStart);
    return expired;
  }

  clear(): void {
    this.#byKey.clear();
    this.#byTime.clear();
  }
}

function timeKey(key: Buffer, windowStart: number): Buffer {
  const out = Buffer.allocUnsafe(8 + key.length);
  writeStart(out, 0, windowStart);
  key.copy(out, 8);
  return out;
}

/** Index of `value` in sorted `values`, or -(insertion point) - 1 when absent. */
function binarySearch(values: number[], value: number): number {
  const at = insertionPoint(values, value);
  return values[at] === value ? at : -at - 1;
}

/** First index whose value is >= `value`. */
function insertionPoint(values: number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
