import type { KeyRange } from './key-range.js';

const id = (key: Buffer): string => key.toString('latin1');

/**
 * A map from Buffer keys with the same API as SortedBufferMap, for write buffers: a hash map
 * (O(1) writes on the hot path) that sorts its keys only when a scan asks for order, and keeps
 * that order until the next change. Measured on the store benchmark: a put costs about half of
 * a B+ tree insert. `clone()` copies the map (O(n)); scans are rare next to writes.
 */
export class HashedBufferMap<V> {
  #map: Map<string, [Buffer, V]>;
  #sorted: string[] | undefined;

  constructor(map?: Map<string, [Buffer, V]>) {
    this.#map = map ?? new Map();
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: Buffer): V | undefined {
    return this.#map.get(id(key))?.[1];
  }

  set(key: Buffer, value: V): void {
    const k = id(key);
    if (this.#sorted !== undefined && !this.#map.has(k)) this.#sorted = undefined;
    this.#map.set(k, [key, value]);
  }

  /** Returns true when the key was added. */
  setIfNotPresent(key: Buffer, value: V): boolean {
    const k = id(key);
    if (this.#map.has(k)) return false;
    this.#sorted = undefined;
    this.#map.set(k, [key, value]);
    return true;
  }

  delete(key: Buffer): boolean {
    const deleted = this.#map.delete(id(key));
    if (deleted) this.#sorted = undefined;
    return deleted;
  }

  clear(): void {
    this.#map = new Map();
    this.#sorted = undefined;
  }

  clone(): HashedBufferMap<V> {
    return new HashedBufferMap(new Map(this.#map));
  }

  /** Every value, in insertion order (order does not matter to a batch write). */
  values(): V[] {
    return Array.from(this.#map.values(), ([, value]) => value);
  }

  /** Every entry, in insertion order (a batch write needs no order; sorting would cost a sort per flush). */
  unorderedEntries(): [Buffer, V][] {
    return Array.from(this.#map.values());
  }

  /** Entries inside `range` in key order (unsigned bytes), descending when `range.reverse`. */
  *entries(range: KeyRange = { reverse: false }): Generator<[Buffer, V]> {
    // latin1 maps byte b to code unit b, so string order is Buffer.compare order.
    const sorted = (this.#sorted ??= [...this.#map.keys()].sort());
    const gte = range.gte === undefined ? undefined : id(range.gte);
    const lte = range.lte === undefined ? undefined : id(range.lte);
    const lt = range.lt === undefined ? undefined : id(range.lt);
    const inRange = (k: string) => (gte === undefined || k >= gte) && (lte === undefined || k <= lte) && (lt === undefined || k < lt);
    const start = gte === undefined ? 0 : lowerBound(sorted, gte);
    if (range.reverse) {
      for (let i = sorted.length - 1; i >= start; i--) {
        const k = sorted[i]!;
        if (inRange(k)) yield this.#map.get(k)!;
      }
      return;
    }
    for (let i = start; i < sorted.length; i++) {
      const k = sorted[i]!;
      if ((lte !== undefined && k > lte) || (lt !== undefined && k >= lt)) return;
      yield this.#map.get(k)!;
    }
  }
}

function lowerBound(sorted: readonly string[], target: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
