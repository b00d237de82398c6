/** A typed key and value, as returned by scans and test-driver reads. */
export interface KeyValuePair<TKey, TValue> {
  readonly key: TKey;
  readonly value: TValue;
}

/** A value together with the timestamp (ms) of the record that wrote it. */
export interface ValueAndTimestamp<TValue> {
  readonly value: TValue;
  readonly timestamp: number;
}

export interface TypedRangeOptions<TKey> {
  /** Inclusive lower bound; compared on serialized bytes. */
  from?: TKey;
  /** Inclusive upper bound; compared on serialized bytes. */
  to?: TKey;
  reverse?: boolean;
}

/**
 * Typed read access to a key-value store. Key order is the order of the serialized key bytes
 * (so a string serde sorts like strings; a JSON number serde does not sort numerically).
 */
export interface ReadOnlyKeyValueStore<TKey, TValue> {
  readonly name: string;
  get(key: TKey): TValue | undefined;
  range(options?: TypedRangeOptions<TKey>): AsyncIterable<KeyValuePair<TKey, TValue>>;
  all(): AsyncIterable<KeyValuePair<TKey, TValue>>;
  approximateNumEntries(): Promise<number>;
}

/**
 * A key-value store as a processor sees it: typed with serdes, synchronous reads and writes,
 * every write copied to the changelog when logging is enabled.
 */
export interface TypedKeyValueStore<TKey, TValue> extends ReadOnlyKeyValueStore<TKey, TValue> {
  put(key: TKey, value: TValue): void;
  /** Writes only when the key is absent; returns the existing value otherwise. */
  putIfAbsent(key: TKey, value: TValue): TValue | undefined;
  putAll(entries: readonly KeyValuePair<TKey, TValue>[]): void;
  /** Removes the key and returns the value it had. */
  delete(key: TKey): TValue | undefined;
}

/** A key-value store whose values carry the timestamp of the record that wrote them (KTables use these). */
export type TimestampedKeyValueStore<TKey, TValue> = TypedKeyValueStore<TKey, ValueAndTimestamp<TValue>>;
