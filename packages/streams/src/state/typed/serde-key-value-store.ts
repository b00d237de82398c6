import type { KeyValue, KeyValueStore, RangeOptions } from '../types.js';
import { SerdeStoreFacade, type SerdeStoreFacadeOptions } from './serde-store-facade.js';
import type { StoreValueCodec } from './store-value-codec.js';
import type { KeyValuePair, TypedKeyValueStore, TypedRangeOptions } from './typed-key-value-store.js';

export interface SerdeKeyValueStoreOptions<TKey, TValue> extends SerdeStoreFacadeOptions<KeyValueStore, TKey> {
  codec: StoreValueCodec<TValue>;
}

/**
 * The typed facade over a byte store: applies serdes and copies each change to the changelog
 * (the change-logging layer). Reads and writes stay synchronous; only scans are async.
 */
export class SerdeKeyValueStore<TKey, TValue> extends SerdeStoreFacade<KeyValueStore, TKey> implements TypedKeyValueStore<TKey, TValue> {
  readonly #codec: StoreValueCodec<TValue>;
  // The last primitive key serialized, and its bytes: an aggregation reads then writes the same
  // key, so this saves one serialization per record. Objects are never cached (they may mutate).
  #lastKey: TKey | undefined;
  #lastKeyBytes: Buffer | undefined;

  constructor(options: SerdeKeyValueStoreOptions<TKey, TValue>) {
    super(options);
    this.#codec = options.codec;
  }

  #keyBytes(key: TKey): Buffer {
    if (Object.is(key, this.#lastKey) && this.#lastKeyBytes !== undefined) return this.#lastKeyBytes;
    const bytes = this.keySerde.serialize(key);
    if (typeof key !== 'object' || key === null) {
      this.#lastKey = key;
      this.#lastKeyBytes = bytes;
    }
    return bytes;
  }

  get(key: TKey): TValue | undefined {
    const bytes = this.inner.get(this.#keyBytes(key));
    return bytes === undefined ? undefined : this.#codec.decode(bytes);
  }

  put(key: TKey, value: TValue): void {
    if (value === null || value === undefined) {
      throw new TypeError(`store ${this.name}: put() needs a value; use delete() to remove a key`);
    }
    const keyBytes = this.#keyBytes(key);
    const stored = this.#codec.encode(value);
    this.inner.put(keyBytes, stored);
    this.#log(keyBytes, stored, value);
  }

  putIfAbsent(key: TKey, value: TValue): TValue | undefined {
    const existing = this.get(key);
    if (existing === undefined) this.put(key, value);
    return existing;
  }

  putAll(entries: readonly KeyValuePair<TKey, TValue>[]): void {
    const encoded: KeyValue[] = entries.map((e) => ({ key: this.keySerde.serialize(e.key), value: this.#codec.encode(e.value) }));
    this.inner.putAll(encoded);
    entries.forEach((e, i) => this.#log(encoded[i]!.key, encoded[i]!.value, e.value));
  }

  delete(key: TKey): TValue | undefined {
    const keyBytes = this.#keyBytes(key);
    const old = this.inner.delete(keyBytes);
    this.changelog?.log(keyBytes, null, this.currentTimestamp());
    return old === undefined ? undefined : this.#codec.decode(old);
  }

  range(options: TypedRangeOptions<TKey> = {}): AsyncIterable<KeyValuePair<TKey, TValue>> {
    const byteOptions: RangeOptions = { reverse: options.reverse ?? false };
    if (options.from !== undefined) byteOptions.from = this.keySerde.serialize(options.from);
    if (options.to !== undefined) byteOptions.to = this.keySerde.serialize(options.to);
    return this.#decodeAll(this.inner.range(byteOptions));
  }

  all(): AsyncIterable<KeyValuePair<TKey, TValue>> {
    return this.#decodeAll(this.inner.all());
  }

  approximateNumEntries(): Promise<number> {
    return this.inner.approximateNumEntries();
  }

  #log(keyBytes: Buffer, stored: Buffer, value: TValue): void {
    if (this.changelog === null) return;
    const timestamp = this.#codec.changelogTimestamp(value, this.currentTimestamp());
    this.changelog.log(keyBytes, this.#codec.toChangelog(stored), timestamp);
  }

  async *#decodeAll(source: AsyncIterable<KeyValue>): AsyncIterable<KeyValuePair<TKey, TValue>> {
    for await (const kv of source) {
      yield { key: this.keySerde.deserialize(kv.key), value: this.#codec.decode(kv.value) };
    }
  }
}
