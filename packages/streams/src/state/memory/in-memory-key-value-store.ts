import { AbstractKeyValueStore } from '../abstract-key-value-store.js';
import type { KeyRange } from '../internals/key-range.js';
import { SortedBufferMap } from '../internals/sorted-map.js';
import type { KeyValue } from '../types.js';

/**
 * A key-value store held in memory in a B+ tree ordered by Buffer.compare. Not persistent: its
 * data is dropped on `close()` (a changelog restores it). Scans iterate an O(1) copy-on-write
 * snapshot taken when the scan starts, so writes made during a scan do not disturb it.
 */
export class InMemoryKeyValueStore extends AbstractKeyValueStore {
  readonly persistent = false;
  #entries = new SortedBufferMap<Buffer>();

  protected _get(key: Buffer): Buffer | undefined {
    return this.#entries.get(key);
  }

  protected _put(key: Buffer, value: Buffer): void {
    this.#entries.set(key, value);
  }

  protected _delete(key: Buffer): Buffer | undefined {
    const previous = this.#entries.get(key);
    if (previous !== undefined) this.#entries.delete(key);
    return previous;
  }

  protected async *_range(range: KeyRange): AsyncGenerator<KeyValue> {
    for (const [key, value] of this.#entries.clone().entries(range)) yield { key, value };
  }

  protected async _approximateNumEntries(): Promise<number> {
    return this.#entries.size;
  }

  protected override async _close(): Promise<void> {
    this.#entries.clear();
  }
}
