import { decodeWindowKey, encodeWindowKey } from '../internals/window-key.js';
import type { WindowedKeyValue, WindowStore } from '../types.js';
import { SerdeStoreFacade, type SerdeStoreFacadeOptions } from './serde-store-facade.js';
import type { StoreValueCodec } from './store-value-codec.js';
import { highestWindowStart, TimeIndexedWindowStore } from './time-indexed-window-store.js';
import type { ValueAndTimestamp } from './typed-key-value-store.js';

/** One window of a typed window store. */
export interface WindowedValue<TKey, TValue> {
  readonly key: TKey;
  /** The window's start in ms; the end follows from the windows the store holds. */
  readonly windowStart: number;
  readonly value: TValue;
}

/** Typed read access to a window store: one value per key and window start. */
export interface ReadOnlyWindowStore<TKey, TValue> {
  readonly name: string;
  fetch(key: TKey, windowStart: number): TValue | undefined;
  /** The windows of `key` with start in [timeFromMs, timeToMs], by start ascending; synchronous. */
  fetchRange(key: TKey, timeFromMs: number, timeToMs: number): WindowedValue<TKey, TValue>[];
  /** The windows of every key with start in [timeFromMs, timeToMs], by start, then key bytes. */
  fetchAll(timeFromMs: number, timeToMs: number): AsyncIterable<WindowedValue<TKey, TValue>>;
  all(): AsyncIterable<WindowedValue<TKey, TValue>>;
}

/** A window store as a processor sees it: typed, synchronous point reads and writes, changelogged. */
export interface TypedWindowStore<TKey, TValue> extends ReadOnlyWindowStore<TKey, TValue> {
  /** Writes one window's value; null deletes the window. Writes to windows past retention are ignored. */
  put(key: TKey, value: TValue | null, windowStart: number): void;
}

/** A window store whose values carry the timestamp of the latest record that updated them. */
export type TimestampedWindowStore<TKey, TValue> = TypedWindowStore<TKey, ValueAndTimestamp<TValue>>;

export interface SerdeWindowStoreOptions<TKey, TValue> extends SerdeStoreFacadeOptions<WindowStore, TKey> {
  codec: StoreValueCodec<TValue>;
}

/**
 * The typed facade over a byte window store. Changelog records are keyed like the store's own
 * entries, `key bytes + window start (8 bytes, big-endian ms)` (see `window-key.ts`), with the
 * value as the codec logs it; restoring decodes the same layout.
 */
export class SerdeWindowStore<TKey, TValue> extends SerdeStoreFacade<WindowStore, TKey> implements TypedWindowStore<TKey, TValue> {
  readonly #codec: StoreValueCodec<TValue>;

  constructor(options: SerdeWindowStoreOptions<TKey, TValue>) {
    super(options);
    this.#codec = options.codec;
  }

  fetch(key: TKey, windowStart: number): TValue | undefined {
    const bytes = this.inner.fetch(this.keySerde.serialize(key), windowStart);
    return bytes === undefined ? undefined : this.#codec.decode(bytes);
  }

  fetchRange(key: TKey, timeFromMs: number, timeToMs: number): WindowedValue<TKey, TValue>[] {
    return this.inner.fetchRange(this.keySerde.serialize(key), timeFromMs, timeToMs).map((w) => ({
      key,
      windowStart: w.windowStart,
      value: this.#codec.decode(w.value),
    }));
  }

  fetchAll(timeFromMs: number, timeToMs: number): AsyncIterable<WindowedValue<TKey, TValue>> {
    return this.#decodeAll(this.inner.fetchAll(timeFromMs, timeToMs));
  }

  all(): AsyncIterable<WindowedValue<TKey, TValue>> {
    return this.#decodeAll(this.inner.all());
  }

  /**
   * @internal Every window with start in [timeFromMs, timeToMs] across keys, synchronously:
   * only for stores built with `timeIndexed` (emit-on-window-close aggregations).
   */
  windowsBetween(timeFromMs: number, timeToMs: number): WindowedValue<TKey, TValue>[] {
    if (!(this.inner instanceof TimeIndexedWindowStore)) throw new TypeError(`window store ${this.name} was not built with a time index`);
    return this.inner.windowsBetween(timeFromMs, timeToMs).map((w) => this.#decode(w));
  }

  /**
   * @internal The highest window start the store has seen (ms; -1 if none), restored with its
   * data: windowed aggregations seed their observed stream time with it after a restart, so
   * records for windows that closed before the crash stay late.
   */
  highestWindowStart(): number {
    return highestWindowStart(this.inner);
  }

  put(key: TKey, value: TValue | null, windowStart: number): void {
    const keyBytes = this.keySerde.serialize(key);
    const stored = value === null || value === undefined ? null : this.#codec.encode(value);
    this.inner.put(keyBytes, stored, windowStart);
    if (this.changelog === null) return;
    const changelogKey = encodeWindowKey(keyBytes, windowStart);
    if (stored === null) this.changelog.log(changelogKey, null, this.currentTimestamp());
    else this.changelog.log(changelogKey, this.#codec.toChangelog(stored), this.#codec.changelogTimestamp(value!, this.currentTimestamp()));
  }

  #decode(w: WindowedKeyValue): WindowedValue<TKey, TValue> {
    return { key: this.keySerde.deserialize(w.key), windowStart: w.windowStart, value: this.#codec.decode(w.value) };
  }

  async *#decodeAll(source: AsyncIterable<WindowedKeyValue>): AsyncIterable<WindowedValue<TKey, TValue>> {
    for await (const w of source) yield this.#decode(w);
  }
}

/** @internal Applies window changelog records (key bytes + 8-byte start) to a byte window store. */
export function restoreWindows(
  inner: WindowStore,
  fromChangelog: (value: Buffer, timestampMs: number) => Buffer,
  records: readonly { key: Buffer | null; value: Buffer | null; timestamp: number }[],
): void {
  for (const record of records) {
    if (record.key === null) continue;
    const { key, windowStart } = decodeWindowKey(record.key);
    inner.put(Buffer.from(key), record.value === null ? null : fromChangelog(record.value, record.timestamp), windowStart);
  }
}
