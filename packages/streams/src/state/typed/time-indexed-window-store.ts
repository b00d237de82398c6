import { WindowIndex } from '../internals/window-index.js';
import type { WindowedKeyValue, WindowStore } from '../types.js';

/**
 * A window store decorator that keeps its own index of the live windows ordered by start, so
 * that a processor can list every window of a time range synchronously (`windowsBetween`);
 * the WindowStore contract only scans asynchronously. Emit-on-window-close aggregations need
 * this on every record that advances stream time, where awaiting a scan is not an option.
 *
 * The index is rebuilt from the inner store on `open()` (after a restart with a persistent
 * store) and follows every `put` (restoration included), expiring windows by the same rule as
 * the inner store: windows starting more than `retentionMs` before the highest start seen.
 */
export class TimeIndexedWindowStore implements WindowStore {
  readonly #inner: WindowStore;
  readonly #index = new WindowIndex();
  #maxStart = -Infinity;

  constructor(inner: WindowStore) {
    this.#inner = inner;
  }

  get name(): string {
    return this.#inner.name;
  }

  get persistent(): boolean {
    return this.#inner.persistent;
  }

  get isOpen(): boolean {
    return this.#inner.isOpen;
  }

  get retentionMs(): number {
    return this.#inner.retentionMs;
  }

  /** The highest window start the store has seen, in ms (-1 when none). */
  get streamTime(): number {
    return Math.max(highestWindowStart(this.#inner), this.#maxStart);
  }

  async open(): Promise<void> {
    await this.#inner.open();
    this.#reset();
    for await (const { key, windowStart } of this.#inner.all()) {
      this.#index.add(Buffer.from(key), windowStart);
      this.#maxStart = Math.max(this.#maxStart, windowStart);
    }
  }

  flush(): Promise<void> {
    return this.#inner.flush();
  }

  async close(): Promise<void> {
    this.#reset();
    await this.#inner.close();
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.#inner.put(key, value, windowStart);
    if (windowStart > this.#maxStart) {
      this.#maxStart = windowStart;
      this.#index.removeOlderThan(this.#maxStart - this.retentionMs);
    }
    if (value === null) this.#index.remove(key, windowStart);
    else if (windowStart >= this.#maxStart - this.retentionMs) this.#index.add(Buffer.from(key), windowStart);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    return this.#inner.fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): WindowedKeyValue[] {
    return this.#inner.fetchRange(key, timeFrom, timeTo);
  }

  fetchAll(timeFrom: number, timeTo: number): AsyncIterable<WindowedKeyValue> {
    return this.#inner.fetchAll(timeFrom, timeTo);
  }

  all(): AsyncIterable<WindowedKeyValue> {
    return this.#inner.all();
  }

  /** Every live window with start in [timeFrom, timeTo], ordered by start, then key bytes; synchronous. */
  windowsBetween(timeFrom: number, timeTo: number): WindowedKeyValue[] {
    const found: WindowedKeyValue[] = [];
    if (timeFrom > timeTo) return found;
    for (const { key, windowStart } of this.#index.byTime(Math.max(0, timeFrom), Math.min(Number.MAX_SAFE_INTEGER, timeTo))) {
      const value = this.#inner.fetch(key, windowStart);
      if (value === undefined) this.#index.remove(key, windowStart);
      else found.push({ key, windowStart, value });
    }
    return found;
  }

  #reset(): void {
    this.#index.clear();
    this.#maxStart = -Infinity;
  }
}

/**
 * @internal The highest window start a byte window store has seen, in ms, or -1 when it has none
 * or cannot tell. The stores built on `KeyValueWindowStore` (memory and LevelDB) track it as
 * `streamTime` (restored with the data, and recomputed from disk on open); the WindowStore
 * contract does not require it, hence the duck typing.
 */
export function highestWindowStart(store: WindowStore): number {
  const streamTime = (store as { readonly streamTime?: unknown }).streamTime;
  return typeof streamTime === 'number' && Number.isFinite(streamTime) ? Math.max(-1, streamTime) : -1;
}
