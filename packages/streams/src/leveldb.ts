/**
 * `@parley/streams/leveldb`: the persistent state stores on LevelDB (classic-level). A subpath
 * of its own so that the core entry never loads the native addon.
 */
export { LevelDbKeyValueStore } from './state/leveldb/leveldb-key-value-store.js';
export type { LevelDbKeyValueStoreOptions } from './state/leveldb/leveldb-key-value-store.js';
export { LevelDbWindowStore } from './state/leveldb/leveldb-window-store.js';
export type { LevelDbWindowStoreOptions } from './state/leveldb/leveldb-window-store.js';
export { LevelDbStores } from './state/leveldb/leveldb-stores.js';
