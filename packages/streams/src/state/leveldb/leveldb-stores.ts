import { LevelDbKeyValueStore } from './leveldb-key-value-store.js';
import type { LevelDbKeyValueStoreOptions } from './leveldb-key-value-store.js';
import { LevelDbWindowStore } from './leveldb-window-store.js';
import type { LevelDbWindowStoreOptions } from './leveldb-window-store.js';

/** Factory of the persistent LevelDB stores (`@parley/streams/leveldb`), each in `<dir>/<name>`. */
export const LevelDbStores = {
  keyValueStore(name: string, options: LevelDbKeyValueStoreOptions): LevelDbKeyValueStore {
    return new LevelDbKeyValueStore(name, options);
  },
  windowStore(name: string, options: LevelDbWindowStoreOptions): LevelDbWindowStore {
    return new LevelDbWindowStore(name, options);
  },
} as const;
