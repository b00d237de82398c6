import { ClassicLevel } from 'classic-level';
import { medianRate } from '../lib/measure.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchSuite } from '../lib/types.js';
import { benchKey, benchValue, KEY_COUNT, randomKeys } from './store-workload.js';

/** Raw classic-level: the ceilings a store in front of it can approach. */
export const ceilingClassicLevel: BenchSuite = {
  name: 'ceiling.classic-level',
  run: () =>
    withTempDir('classic-level', async (dir) => {
      const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
      await db.open();
      const put = await medianRate(KEY_COUNT, async () => {
        for (let start = 0; start < KEY_COUNT; start += 1000) {
          const batch = db.batch();
          for (let i = start; i < start + 1000; i++) batch.put(benchKey(i), benchValue(i));
          await batch.write();
        }
      });
      const keys = randomKeys(KEY_COUNT);
      const getMany = await medianRate(keys.length, async () => {
        for (let start = 0; start < keys.length; start += 1000) await db.getMany(keys.slice(start, start + 1000));
      });
      await db.close();
      return [
        { name: 'ceiling.classic-level.batch-put', value: put, unit: 'ops/s', note: 'chained batch of 1000, 16 B keys, 100 B values' },
        { name: 'ceiling.classic-level.get-many', value: getMany, unit: 'ops/s', note: 'getMany of 1000 random keys' },
      ];
    }),
};
