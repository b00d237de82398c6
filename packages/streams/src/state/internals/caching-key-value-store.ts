import { AbstractKeyValueStore } from '../abstract-key-value-store.js';
import type { KeyValue, KeyValueStore, RangeOptions } from '../types.js';
import type { KeyRange } from './key-range.js';
import type { OverlayEntry } from './merge-overlay.js';
import { applyOverlay } from './merge-overlay.js';
import { GenerationalCache } from './generational-cache.js';

export interface CachingKeyValueStoreOptions {
  /** Cache budget in bytes, counting keys, values and a fixed overhead per entry. Default 10 MiB. */
  maxBytes?: number;
}

/** Counters of a record cache. */
export interface CacheStats {
  /** Reads answered by the cache (known misses included). */
  hits: number;
  /** Reads that went to the inner store. */
  misses: number;
  /** hits / (hits + misses); 0 before the first read. */
  hitRatio: number;
  entries: number;
  /** Bytes the cache holds, as counted against `maxBytes`. */
  bytes: number;
  maxBytes: number;
  /** Entries written to the cache and not yet to the inner store. */
  dirty: number;
}

/** One cached key: a value, or null for a key known to be absent (or deleted, when dirty). */
interface CacheEntry {
  key: Buffer;
  value: Buffer | null;
  dirty: boolean;
  size: number;
}

/** Pairs handed to scans: copied, because cache entries change in place. */
type DirtyPair = [Buffer, Buffer | null];

/** Rough bytes an entry costs beyond its key and value (objects, LRU links, string key). */
const ENTRY_OVERHEAD = 64;

/**
 * A record cache in front of any key-value store (Kafka Streams' CachingKeyValueStore). Reads
 * are served from a byte-bounded, two-generation approximation of an LRU (GenerationalCache),
 * including cached misses; writes stay dirty in the
 * cache and reach the inner store in one `putAll` (plus deletes) on `flush()`, so repeated
 * updates of a key cost one inner write per commit. Evicting dirty entries writes them to the
 * inner store (its write buffer) first. Scans merge the dirty entries with the inner store's scan.
 * The cache owns the inner store's lifecycle: opening and closing it opens and closes the inner.
 */
export class CachingKeyValueStore extends AbstractKeyValueStore {
  readonly inner: KeyValueStore;
  readonly maxBytes: number;
  readonly #cache: GenerationalCache<CacheEntry>;
  /**
   * Entries that turned dirty since the last write to the inner store, in that order. An entry is
   * one object per cached key, updated in place, so it is listed once; one cleaned since (by an
   * eviction) is skipped when the list is written.
   */
  #dirtyList: CacheEntry[] = [];
  #dirtyCount = 0;
  #evicted: CacheEntry[] = [];
  #hits = 0;
  // The id of the last key Buffer seen: a read-then-write of one key (every aggregation) passes the
  // same Buffer twice, and reusing the string also reuses the hash V8 cached on it.
  #lastKey: Buffer | undefined;
  #lastId = '';
  #misses = 0;

  constructor(inner: KeyValueStore, options: CachingKeyValueStoreOptions = {}) {
    super(inner.name);
    const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError('maxBytes must be a positive integer');
    this.inner = inner;
    this.maxBytes = maxBytes;
    this.#cache = new GenerationalCache<CacheEntry>(maxBytes, (entries) => {
      for (const entry of entries) if (entry.dirty) this.#evicted.push(entry);
    });
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  cacheStats(): CacheStats {
    const reads = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRatio: reads === 0 ? 0 : this.#hits / reads,
      entries: this.#cache.size,
      bytes: this.#cache.bytes,
      maxBytes: this.maxBytes,
      dirty: this.#dirtyCount,
    };
  }

  protected override async _open(): Promise<void> {
    await this.inner.open();
  }

  protected _get(key: Buffer): Buffer | undefined {
    const cached = this.#cache.get(this.#id(key));
    if (cached !== undefined) {
      this.#hits++;
      // A hit can move the entry up a generation and so evict the oldest one.
      this.#writeEvicted();
      return cached.value ?? undefined;
    }
    this.#misses++;
    const value = this.inner.get(key);
    this.#remember(key, value ?? null, false);
    this.#writeEvicted();
    return value;
  }

  protected override _getMany(keys: Buffer[]): (Buffer | undefined)[] {
    const values: (Buffer | undefined)[] = new Array(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const cached = this.#cache.get(cacheKey(key));
      if (cached === undefined) missing.push(i);
      else values[i] = cached.value ?? undefined;
    });
    this.#hits += keys.length - missing.length;
    this.#misses += missing.length;
    this.#writeEvicted();
    if (missing.length > 0) {
      const found = this.inner.getMany(missing.map((i) => keys[i] as Buffer));
      missing.forEach((i, n) => {
        values[i] = found[n];
        this.#remember(keys[i] as Buffer, found[n] ?? null, false);
      });
      this.#writeEvicted();
    }
    return values;
  }

  protected _put(key: Buffer, value: Buffer): void {
    this.#remember(key, value, true);
    this.#writeEvicted();
  }

  protected override _putAll(entries: KeyValue[]): void {
    for (const { key, value } of entries) this.#remember(key, value, true);
    this.#writeEvicted();
  }

  protected _delete(key: Buffer): Buffer | undefined {
    const previous = this._get(key);
    this.#remember(key, null, true);
    this.#writeEvicted();
    return previous;
  }

  protected _range(range: KeyRange): AsyncIterable<KeyValue> {
    const dirty = this.#dirtyPairs(range);
    const overlay = (function* (): Generator<OverlayEntry> {
      yield* dirty;
    })();
    return applyOverlay(overlay, innerRange(this.inner, range), range.reverse);
  }

  protected async _approximateNumEntries(): Promise<number> {
    this.#writeDirty();
    return this.inner.approximateNumEntries();
  }

  protected override async _flush(): Promise<void> {
    this.#writeDirty();
    await this.inner.flush();
  }

  protected override async _close(): Promise<void> {
    this.#cache.clear();
    this.#dirtyList = [];
    this.#dirtyCount = 0;
    this.#evicted = [];
    await this.inner.close();
  }

  #id(key: Buffer): string {
    if (key !== this.#lastKey) {
      this.#lastKey = key;
      this.#lastId = cacheKey(key);
    }
    return this.#lastId;
  }

  #remember(key: Buffer, value: Buffer | null, dirty: boolean): void {
    const id = this.#id(key);
    const size = key.length + (value?.length ?? 0) + ENTRY_OVERHEAD;
    const existing = this.#cache.get(id);
    if (size > this.maxBytes) {
      // Too big to ever be cached: write it through instead.
      if (existing !== undefined) {
        this.#cache.delete(id);
        this.#markClean(existing);
      }
      if (dirty) this.#writeToInner([{ key, value, dirty: false, size }]);
      return;
    }
    if (existing === undefined) {
      const entry: CacheEntry = { key, value, dirty: false, size };
      if (dirty) this.#markDirty(entry);
      this.#cache.add(id, entry);
      return;
    }
    const previousSize = existing.size;
    existing.value = value;
    existing.size = size;
    if (dirty) this.#markDirty(existing);
    this.#cache.resized(id, existing, previousSize);
  }

  #markDirty(entry: CacheEntry): void {
    if (entry.dirty) return;
    entry.dirty = true;
    this.#dirtyList.push(entry);
    this.#dirtyCount++;
  }

  #markClean(entry: CacheEntry): void {
    if (!entry.dirty) return;
    entry.dirty = false;
    this.#dirtyCount--;
  }

  /** A snapshot of the dirty entries inside `range`, in key order (descending when reversed). */
  #dirtyPairs(range: KeyRange): DirtyPair[] {
    const inRange = (key: Buffer) =>
      (range.gte === undefined || Buffer.compare(key, range.gte) >= 0) &&
      (range.lte === undefined || Buffer.compare(key, range.lte) <= 0) &&
      (range.lt === undefined || Buffer.compare(key, range.lt) < 0);
    const pairs: DirtyPair[] = [];
    for (const entry of this.#dirtyList) if (entry.dirty && inRange(entry.key)) pairs.push([entry.key, entry.value]);
    pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
    return range.reverse ? pairs.reverse() : pairs;
  }

  #writeEvicted(): void {
    if (this.#evicted.length === 0) return;
    const evicted = this.#evicted;
    this.#evicted = [];
    this.#writeToInner(evicted.filter((entry) => entry.dirty));
  }

  #writeDirty(): void {
    if (this.#dirtyList.length === 0) return;
    const list = this.#dirtyList;
    this.#dirtyList = [];
    this.#writeToInner(list.filter((entry) => entry.dirty));
  }

  /** Writes entries to the inner store: their puts in one putAll, their deletes after. */
  #writeToInner(entries: CacheEntry[]): void {
    const puts: KeyValue[] = [];
    for (const entry of entries) {
      this.#markClean(entry);
      if (entry.value === null) this.inner.delete(entry.key);
      else puts.push({ key: entry.key, value: entry.value });
    }
    if (puts.length > 0) this.inner.putAll(puts);
  }
}

/** LRU keys are strings; latin1 maps each byte to one char, so distinct keys stay distinct. */
function cacheKey(key: Buffer): string {
  return key.toString('latin1');
}

/** The inner store's scan of `range`; its public range is inclusive, so an exclusive end is filtered. */
async function* innerRange(inner: KeyValueStore, range: KeyRange): AsyncGenerator<KeyValue> {
  const options: RangeOptions = { reverse: range.reverse };
  if (range.gte !== undefined) options.from = range.gte;
  const upper = range.lte ?? range.lt;
  if (upper !== undefined) options.to = upper;
  for await (const entry of inner.range(options)) {
    if (range.lt !== undefined && entry.key.equals(range.lt)) continue;
    yield entry;
  }
}
