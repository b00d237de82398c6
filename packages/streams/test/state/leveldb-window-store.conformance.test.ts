import * as path from 'node:path';
import { LevelDbWindowStore } from '../../src/state/leveldb/leveldb-window-store.js';
import type { WindowStore } from '../../src/state/types.js';
import { windowStoreConformance } from '../../src/testing/window-store-conformance.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = tempDir('leveldb-windows');
let counter = 0;
const dirs = new WeakMap<WindowStore, string>();

function fresh(retentionMs: number): WindowStore {
  const dir = path.join(root, String(counter++));
  const store = new LevelDbWindowStore('windows', { dir, retentionMs, maxPendingWrites: 4 });
  dirs.set(store, dir);
  return store;
}

windowStoreConformance({
  name: 'LevelDb',
  factory: ({ retentionMs }) => fresh(retentionMs),
  reopen: (closed) => new LevelDbWindowStore(closed.name, { dir: dirs.get(closed) as string, retentionMs: closed.retentionMs }),
  propertyRuns: 20,
});
