import type { ByteStoreFactory } from '../processor/store-builder.js';
import { Stores } from '../state/stores.js';

type LevelDbModule = typeof import('../leveldb.js');

/**
 * The engine's byte stores: LevelDB under the task's directory for persistent stores, memory
 * otherwise. The LevelDB module (a native addon) is loaded only by applications that need it.
 */
export async function engineStoreFactory(needsLevelDb: boolean): Promise<(taskDir: string) => ByteStoreFactory> {
  const leveldb: LevelDbModule | undefined = needsLevelDb ? await import('../leveldb.js') : undefined;
  return (taskDir) => ({
    keyValueStore: (spec) =>
      spec.persistent && leveldb !== undefined
        ? leveldb.LevelDbStores.keyValueStore(spec.name, { dir: taskDir })
        : Stores.inMemoryKeyValueStore(spec.name),
  });
}
