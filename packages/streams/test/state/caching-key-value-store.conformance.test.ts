import * as path from 'node:path';
import { CachingKeyValueStore } from '../../src/state/internals/caching-key-value-store.js';
import { LevelDbKeyValueStore } from '../../src/state/leveldb/leveldb-key-value-store.js';
import { InMemoryKeyValueStore } from '../../src/state/memory/in-memory-key-value-store.js';
import type { KeyValueStore } from '../../src/state/types.js';
import { keyValueStoreConformance } from '../../src/testing/key-value-store-conformance.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = tempDir('cached-kv');
let counter = 0;

function cachedLevelDb(maxBytes?: number): CachingKeyValueStore {
  const inner = new LevelDbKeyValueStore('store', { dir: path.join(root, String(counter++)) });
  return new CachingKeyValueStore(inner, maxBytes === undefined ? {} : { maxBytes });
}

function reopen(closed: KeyValueStore): KeyValueStore {
  const inner = (closed as CachingKeyValueStore).inner as LevelDbKeyValueStore;
  const again = new LevelDbKeyValueStore(inner.name, { dir: path.dirname(inner.location) });
  return new CachingKeyValueStore(again, { maxBytes: (closed as CachingKeyValueStore).maxBytes });
}

keyValueStoreConformance({ name: 'InMemory + cache', factory: () => new CachingKeyValueStore(new InMemoryKeyValueStore('kv')) });
// 200 bytes hold about two entries: nearly every write evicts.
keyValueStoreConformance({
  name: 'InMemory + tiny cache',
  factory: () => new CachingKeyValueStore(new InMemoryKeyValueStore('kv'), { maxBytes: 200 }),
});
keyValueStoreConformance({ name: 'LevelDb + cache', factory: () => cachedLevelDb(), reopen });
keyValueStoreConformance({ name: 'LevelDb + 1 KiB cache', factory: () => cachedLevelDb(1024), reopen, propertyRuns: 20 });
