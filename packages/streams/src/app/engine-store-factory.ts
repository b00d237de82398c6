import type { ByteStoreFactory } from '../state/builders/store-builder.js';
import { Stores } from '../state/stores.js';
import type { KeyValueStore } from '../state/types.js';

type LevelDbModule = typeof import('../leveldb.js');

/** Native memory of each LevelDB store (undefined: LevelDB's defaults, 8 MiB and 4 MiB). */
export interface LevelDbMemory {
  blockCacheBytes?: number;
  writeBufferBytes?: number;
}

/**
 * The engine's byte stores: LevelDB under the task's directory for persistent stores, memory
 * otherwise, LevelDB key-value stores behind a record cache of `cacheMaxBytes` (0: none). The LevelDB module (a native addon) is loaded only by applications that need it.
 */
export async function engineStoreFactory(needsLevelDb: boolean, cacheMaxBytes = 0, memory: LevelDbMemory = {}): Promise<(taskDir: string) => ByteStoreFactory> {
  const leveldb: LevelDbModule | undefined = needsLevelDb ? await import('../leveldb.js') : undefined;
  return (taskDir) => ({
    keyValueStore: (spec) =>
      spec.persistent && leveldb !== undefined
        ? withCache(leveldb.LevelDbStores.keyValueStore(spec.name, { dir: taskDir, ...memory }), cacheMaxBytes)
        : Stores.inMemoryKeyValueStore(spec.name),
    windowStore: (spec) =>
      spec.persistent && leveldb !== undefined
        ? leveldb.LevelDbStores.windowStore(spec.name, { dir: taskDir, retentionMs: spec.retentionMs, ...memory })
        : Stores.inMemoryWindowStore(spec.name, { retentionMs: spec.retentionMs }),
  });
}

function withCache(store: KeyValueStore, maxBytes: number): KeyValueStore {
  return maxBytes > 0 ? Stores.cached(store, { maxBytes }) : store;
}
