import type { Windowed } from '../window.js';
import type { Serde } from '../../serde/types.js';
import { encodeWindowKey, readStart, writeStart } from '../internals/window-key.js';
import type { WindowedKeyValue, WindowStore } from '../types.js';
import { SerdeStoreFacade, type SerdeStoreFacadeOptions } from './serde-store-facade.js';
import { highestWindowStart, TimeIndexedWindowStore } from './time-indexed-window-store.js';

/** One session of a session store: the key with its `[start, end]` window, and the session's value. */
export interface SessionEntry<TKey, TValue> {
  readonly key: Windowed<TKey>;
  readonly value: TValue;
}

/** Typed read access to a session store; every read is synchronous. */
export interface ReadOnlySessionStore<TKey, TValue> {
  readonly name: string;
  /**
   * The sessions of `key` that end at or after `earliestSessionEndMs` and start at or before
   * `latestSessionStartMs` (Kafka's `findSessions`), by end ascending.
   */
  findSessions(key: TKey, earliestSessionEndMs: number, latestSessionStartMs: number): SessionEntry<TKey, TValue>[];
  /** The value of exactly the session `[startMs, endMs]` of `key`. */
  fetchSession(key: TKey, startMs: number, endMs: number): TValue | undefined;
}

/** A session store as a processor sees it. Sessions of one key never overlap. */
export interface TypedSessionStore<TKey, TValue> extends ReadOnlySessionStore<TKey, TValue> {
  put(session: Windowed<TKey>, value: TValue): void;
  /** Removes the session if the store holds exactly this window for the key. */
  remove(session: Windowed<TKey>): void;
}

export interface SerdeSessionStoreOptions<TKey, TValue> extends SerdeStoreFacadeOptions<WindowStore, TKey> {
  valueSerde: Serde<TValue>;
}

const START_BYTES = 8;

/**
 * A session store laid out on a window store (so it needs no backend of its own and inherits
 * the window store's synchronous per-key index and retention):
 *
 *   window store key   = key bytes, window start slot = the session's END (ms)
 *   window store value = [ session start: 8 bytes, big-endian ms ][ value bytes ]
 *
 * Sessions of one key never overlap, so (key, end) identifies a session. On disk and in the
 * changelog that is `key bytes + end (8 bytes)` → `start (8 bytes) + value bytes`. Retention
 * therefore counts from session ends, as Kafka's session stores do.
 */
export class SerdeSessionStore<TKey, TValue> extends SerdeStoreFacade<WindowStore, TKey> implements TypedSessionStore<TKey, TValue> {
  readonly #valueSerde: Serde<TValue>;

  constructor(options: SerdeSessionStoreOptions<TKey, TValue>) {
    super(options);
    this.#valueSerde = options.valueSerde;
  }

  findSessions(key: TKey, earliestSessionEndMs: number, latestSessionStartMs: number): SessionEntry<TKey, TValue>[] {
    const found: SessionEntry<TKey, TValue>[] = [];
    for (const w of this.inner.fetchRange(this.keySerde.serialize(key), earliestSessionEndMs, Number.MAX_SAFE_INTEGER)) {
      const start = readStart(w.value, 0);
      // Sessions do not overlap, so starts grow with ends: the first start past the bound ends the search.
      if (start > latestSessionStartMs) break;
      found.push({ key: { key, window: { start, end: w.windowStart } }, value: this.#decodeValue(w.value) });
    }
    return found;
  }

  fetchSession(key: TKey, startMs: number, endMs: number): TValue | undefined {
    const stored = this.inner.fetch(this.keySerde.serialize(key), endMs);
    return stored === undefined || readStart(stored, 0) !== startMs ? undefined : this.#decodeValue(stored);
  }

  /** @internal The highest session end the store has seen (ms; -1 if none), restored with its data. */
  highestSessionEnd(): number {
    return highestWindowStart(this.inner);
  }

  put(session: Windowed<TKey>, value: TValue): void {
    if (value === null || value === undefined) throw new TypeError(`store ${this.name}: put() needs a value; use remove()`);
    const keyBytes = this.keySerde.serialize(session.key);
    const valueBytes = this.#valueSerde.serialize(value);
    const stored = Buffer.allocUnsafe(START_BYTES + valueBytes.length);
    writeStart(stored, 0, session.window.start);
    valueBytes.copy(stored, START_BYTES);
    this.inner.put(keyBytes, stored, session.window.end);
    this.changelog?.log(encodeWindowKey(keyBytes, session.window.end), stored, this.currentTimestamp());
  }

  remove(session: Windowed<TKey>): void {
    const keyBytes = this.keySerde.serialize(session.key);
    const stored = this.inner.fetch(keyBytes, session.window.end);
    if (stored === undefined || readStart(stored, 0) !== session.window.start) return;
    this.inner.put(keyBytes, null, session.window.end);
    this.changelog?.log(encodeWindowKey(keyBytes, session.window.end), null, this.currentTimestamp());
  }

  /**
   * @internal The sessions of every key ending in [fromMs, toMs], synchronously: only for stores
   * built with `timeIndexed` (emit-on-window-close session aggregations).
   */
  sessionsEndingBetween(fromMs: number, toMs: number): SessionEntry<TKey, TValue>[] {
    if (!(this.inner instanceof TimeIndexedWindowStore)) throw new TypeError(`session store ${this.name} was not built with a time index`);
    return this.inner.windowsBetween(fromMs, toMs).map((w) => this.#decodeEntry(w));
  }

  #decodeEntry(w: WindowedKeyValue): SessionEntry<TKey, TValue> {
    const key = this.keySerde.deserialize(w.key);
    return { key: { key, window: { start: readStart(w.value, 0), end: w.windowStart } }, value: this.#decodeValue(w.value) };
  }

  #decodeValue(stored: Buffer): TValue {
    return this.#valueSerde.deserialize(stored.subarray(START_BYTES));
  }
}
