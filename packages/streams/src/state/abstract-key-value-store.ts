import { AbstractStateStore } from './abstract-state-store.js';
import { assertBuffer } from './internals/assert-buffer.js';
import { guardScan } from './internals/guard-scan.js';
import type { KeyRange } from './internals/key-range.js';
import { prefixRange, toKeyRange } from './internals/key-range.js';
import type { KeyValue, KeyValueStore, RangeOptions } from './types.js';

/**
 * Base class of every key-value store. The public methods validate their arguments (a key or
 * value that is not a Buffer throws a TypeError), check that the store is open (else a
 * StreamsError `STREAMS_STORE_NOT_OPEN`), then call a protected `_hook`; hooks receive exactly
 * the arguments documented, already checked. Scans receive a normalized {@link KeyRange}.
 *
 * Stores keep the Buffers they are given (no copy, for speed): do not modify a key or value after
 * handing it to a store, nor a Buffer a store returned.
 */
export abstract class AbstractKeyValueStore extends AbstractStateStore implements KeyValueStore {
  get(key: Buffer): Buffer | undefined {
    assertBuffer(key, 'key');
    this.assertOpen();
    return this._get(key);
  }

  getMany(keys: Buffer[]): (Buffer | undefined)[] {
    if (!Array.isArray(keys)) throw new TypeError('getMany() takes an array of Buffer keys');
    for (const key of keys) assertBuffer(key, 'key');
    this.assertOpen();
    return this._getMany(keys);
  }

  put(key: Buffer, value: Buffer): void {
    assertBuffer(key, 'key');
    assertBuffer(value, 'value');
    this.assertOpen();
    this._put(key, value);
  }

  /** Validates every entry before writing any of them. */
  putAll(entries: KeyValue[]): void {
    if (!Array.isArray(entries)) throw new TypeError('putAll() takes an array of { key, value } entries');
    for (const entry of entries) {
      if (typeof entry !== 'object' || entry === null) throw new TypeError('putAll() entries must be { key, value } objects');
      assertBuffer(entry.key, 'key');
      assertBuffer(entry.value, 'value');
    }
    this.assertOpen();
    this._putAll(entries);
  }

  delete(key: Buffer): Buffer | undefined {
    assertBuffer(key, 'key');
    this.assertOpen();
    return this._delete(key);
  }

  /** Entries with `from <= key <= to` in key order (descending with `reverse`); empty when from > to. */
  range(options: RangeOptions = {}): AsyncIterable<KeyValue> {
    if (typeof options !== 'object' || options === null) throw new TypeError('range() options must be an object');
    if (options.from !== undefined) assertBuffer(options.from, 'range bound');
    if (options.to !== undefined) assertBuffer(options.to, 'range bound');
    if (options.reverse !== undefined && typeof options.reverse !== 'boolean') {
      throw new TypeError('range() option reverse must be a boolean');
    }
    this.assertOpen();
    const range = toKeyRange(options);
    return range === undefined ? emptyScan() : guardScan(this, () => this._range(range));
  }

  /** Entries whose key starts with `prefix`, in key order. */
  prefixScan(prefix: Buffer): AsyncIterable<KeyValue> {
    assertBuffer(prefix, 'prefix');
    this.assertOpen();
    return guardScan(this, () => this._range(prefixRange(prefix)));
  }

  all(): AsyncIterable<KeyValue> {
    this.assertOpen();
    return guardScan(this, () => this._range({ reverse: false }));
  }

  async approximateNumEntries(): Promise<number> {
    this.assertOpen();
    return this._approximateNumEntries();
  }

  protected abstract _get(key: Buffer): Buffer | undefined;
  protected abstract _put(key: Buffer, value: Buffer): void;
  protected abstract _delete(key: Buffer): Buffer | undefined;
  protected abstract _range(range: KeyRange): AsyncIterable<KeyValue>;
  protected abstract _approximateNumEntries(): Promise<number>;

  protected _getMany(keys: Buffer[]): (Buffer | undefined)[] {
    return keys.map((key) => this._get(key));
  }

  protected _putAll(entries: KeyValue[]): void {
    for (const { key, value } of entries) this._put(key, value);
  }
}

async function* emptyScan(): AsyncGenerator<KeyValue> {}
