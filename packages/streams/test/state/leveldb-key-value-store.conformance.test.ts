import * as path from 'node:path';
import { LevelDbKeyValueStore } from '../../src/state/leveldb/leveldb-key-value-store.js';
import type { KeyValueStore } from '../../src/state/types.js';
import { keyValueStoreConformance } from '../../src/testing/key-value-store-conformance.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = tempDir('leveldb-kv');
let counter = 0;

/** A LevelDB store in its own new directory. */
function freshStore(maxPendingWrites?: number): LevelDbKeyValueStore {
  const dir = path.join(root, String(counter++));
  return new LevelDbKeyValueStore('store', maxPendingWrites === undefined ? { dir } : { dir, maxPendingWrites });
}

function reopen(closed: KeyValueStore): KeyValueStore {
  return new LevelDbKeyValueStore(closed.name, { dir: path.dirname((closed as LevelDbKeyValueStore).location) });
}

keyValueStoreConformance({ name: 'LevelDb', factory: () => freshStore(), reopen });
// A write buffer of 3 keys makes background flushes happen inside the suite's operations.
keyValueStoreConformance({ name: 'LevelDb with background flushes', factory: () => freshStore(3), reopen, propertyRuns: 20 });
