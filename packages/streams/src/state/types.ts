/**
 * State store contracts. Stores work on bytes; typed access is layered on top with serdes.
 *
 * Reads and writes are synchronous so that a processor never awaits a store per record (the
 * hot-path rule): backends serve reads from memory or with a synchronous native call
 * (classic-level `getSync`) and keep writes in a write buffer until `flush()`. Scans can touch
 * many keys and may hit disk, so they are async iterables.
 */

export interface KeyValue {
  key: Buffer;
  value: Buffer;
}

export interface RangeOptions {
  /** Inclusive lower bound; omitted means from the first key. */
  from?: Buffer;
  /** Inclusive upper bound; omitted means to the last key. */
  to?: Buffer;
  reverse?: boolean;
}

export interface StateStore {
  readonly name: string;
  /** True when the store keeps its data on disk between runs. */
  readonly persistent: boolean;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Writes every buffered change to the backend; resolves when it is durable there. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keys are compared as unsigned bytes (Buffer.compare), as LevelDB does. A store keeps the
 * Buffers it is given (write buffers, caches): never modify a key or value Buffer after handing
 * it to a store.
 */
export interface KeyValueStore extends StateStore {
  get(key: Buffer): Buffer | undefined;
  getMany(keys: Buffer[]): (Buffer | undefined)[];
  put(key: Buffer, value: Buffer): void;
  putAll(entries: KeyValue[]): void;
  /** Deletes a key and returns the value it had. */
  delete(key: Buffer): Buffer | undefined;
  range(options?: RangeOptions): AsyncIterable<KeyValue>;
  prefixScan(prefix: Buffer): AsyncIterable<KeyValue>;
  all(): AsyncIterable<KeyValue>;
  /** An estimate of the number of keys (exact for in-memory stores). */
  approximateNumEntries(): Promise<number>;
}

/** A record of a window store: one value per (key, window start). */
export interface WindowedKeyValue {
  key: Buffer;
  windowStart: number;
  value: Buffer;
}

/** Values per key and window start, with old windows dropped after the retention period. */
export interface WindowStore extends StateStore {
  /** Retention in milliseconds: windows that start before (observed stream time - retention) are dropped. */
  readonly retentionMs: number;
  put(key: Buffer, value: Buffer | null, windowStart: number): void;
  fetch(key: Buffer, windowStart: number): Buffer | undefined;
  /** Windows of one key with start in [timeFrom, timeTo], in start order. */
  fetchRange(key: Buffer, timeFrom: number, timeTo: number): WindowedKeyValue[];
  /** Windows of every key with start in [timeFrom, timeTo]. */
  fetchAll(timeFrom: number, timeTo: number): AsyncIterable<WindowedKeyValue>;
  all(): AsyncIterable<WindowedKeyValue>;
}
