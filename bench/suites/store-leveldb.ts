import { Stores } from '@parley/streams';
import { LevelDbStores } from '@parley/streams/leveldb';
import { medianRate } from '../lib/measure.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchSuite } from '../lib/types.js';
import { benchKey, benchValue, KEY_COUNT, randomKeys } from './store-workload.js';

/**
 * The LevelDB key-value store behind the default 10 MiB record cache, as the engine uses it:
 * puts flushed every 1000 (a commit), random gets over 200k keys (more than the cache holds).
 */
export const storeLevelDb: BenchSuite = {
  name: 'store.leveldb',
  run: () =>
    withTempDir('store', async (dir) => {
      const store = Stores.cached(LevelDbStores.keyValueStore('bench', { dir }));
      await store.open();
      const put = await medianRate(KEY_COUNT, async () => {
        for (let i = 0; i < KEY_COUNT; i++) {
          store.put(benchKey(i), benchValue(i));
          if (i % 1000 === 999) await store.flush();
        }
        await store.flush();
      });
      const keys = randomKeys(KEY_COUNT);
      const get = await medianRate(keys.length, () => {
        for (const key of keys) store.get(key);
      });
      const { hitRatio } = store.cacheStats();
      await store.close();
      return [
        { name: 'store.leveldb.cached.put', value: put, unit: 'ops/s', note: 'put, flush every 1000, 16 B keys, 100 B values' },
        { name: 'store.leveldb.cached.get', value: get, unit: 'ops/s', note: `random get over 200k keys, cache hit ratio ${hitRatio.toFixed(2)}` },
      ];
    }),
};
