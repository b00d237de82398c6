import { AbstractKeyValueStore } from '../../../../state/abstract-key-value-store.js';
import type { KeyRange } from '../../../../state/internals/key-range.js';
import { SortedBufferMap } from '../../../../state/internals/sorted-map.js';
import type { KeyValue, KeyValueStore } from '../../../../state/types.js';

/**
 * @internal A key-value store that keeps an in-memory sorted index of its keys, loaded when it
 * opens, so that ordered scans are synchronous (`scan`): the foreign-key join's prefix scan of its
 * subscriptions and the stream-stream join's scan of records waiting for a partner run inside
 * `process`, where awaiting a store scan per record is not an option. Values stay in the inner
 * store (memory or LevelDB), read with its synchronous `get`.
 */
export class IndexedKeyValueStore extends AbstractKeyValueStore {
  readonly #inner: KeyValueStore;
  readonly #keys = new SortedBufferMap<undefined>();

  constructor(inner: KeyValueStore) {
    super(inner.name);
    this.#inner = inner;
  }

  get persistent(): boolean {
    return this.#inner.persistent;
  }

  /** Entries inside `range` in key order; a snapshot of the keys when the scan starts. */
  *scan(range: KeyRange = { reverse: false }): Generator<KeyValue> {
    this.assertOpen();
    for (const [key] of this.#keys.clone().entries(range)) {
      const value = this.#inner.get(key);
      if (value !== undefined) yield { key, value };
    }
  }

  /** The smallest key, if any. */
  firstKey(): Buffer | undefined {
    this.assertOpen();
    for (const [key] of this.#keys.entries()) return key;
    return undefined;
  }

  protected override async _open(): Promise<void> {
    await this.#inner.open();
    this.#keys.clear();
    for await (const { key } of this.#inner.all()) this.#keys.set(Buffer.from(key), undefined);
  }

  protected override async _flush(): Promise<void> {
    await this.#inner.flush();
  }

  protected override async _close(): Promise<void> {
    this.#keys.clear();
    await this.#inner.close();
  }

  protected _get(key: Buffer): Buffer | undefined {
    return this.#inner.get(key);
  }

  protected _put(key: Buffer, value: Buffer): void {
    this.#keys.set(key, undefined);
    this.#inner.put(key, value);
  }

  protected _delete(key: Buffer): Buffer | undefined {
    // Most deletes (a join partner's entry that was never waiting) miss: skip the inner store then.
    if (!this.#keys.delete(key)) return undefined;
    return this.#inner.delete(key);
  }

  protected async *_range(range: KeyRange): AsyncGenerator<KeyValue> {
    yield* this.scan(range);
  }

  protected async _approximateNumEntries(): Promise<number> {
    return this.#keys.size;
  }
}
