import { CachingKeyValueStore } from './internals/caching-key-value-store.js';
import type { CachingKeyValueStoreOptions } from './internals/caching-key-value-store.js';
import { InMemoryKeyValueStore } from './memory/in-memory-key-value-store.js';
import { InMemoryWindowStore } from './memory/in-memory-window-store.js';
import type { InMemoryWindowStoreOptions } from './memory/in-memory-window-store.js';
import type { KeyValueStore } from './types.js';

/**
 * Factory of the stores the core package ships (Kafka Streams' `Stores`). The persistent
 * LevelDB stores come from `@parley/streams/leveldb` (`LevelDbStores`), so that loading the
 * core never loads the native addon.
 */
export const Stores = {
  /** A sorted in-memory key-value store. */
  inMemoryKeyValueStore(name: string): InMemoryKeyValueStore {
    return new InMemoryKeyValueStore(name);
  },
  /** A record cache in front of `store` (default 10 MiB); opening/closing it opens/closes `store`. */
  cached(store: KeyValueStore, options: CachingKeyValueStoreOptions = {}): CachingKeyValueStore {
    return new CachingKeyValueStore(store, options);
  },
  /** An in-memory window store keeping windows for `retentionMs` behind the highest window start. */
  inMemoryWindowStore(name: string, options: InMemoryWindowStoreOptions): InMemoryWindowStore {
    return new InMemoryWindowStore(name, options);
  },
} as const;
