import { EmbeddedLog } from '@parley/streams/embedded';
import { medianRate } from '../lib/measure.js';
import { withTempDir } from '../lib/temp.js';
import type { BenchSuite } from '../lib/types.js';

const RECORDS = 500_000;
const BATCH = 1000;
const VALUE = Buffer.alloc(200, 0x61);

/** Embedded log: batched append and sequential read of 200-byte values, one partition. */
export const logEmbedded: BenchSuite = {
  name: 'log.embedded',
  run: () =>
    withTempDir('log', async (dir) => {
      const log = new EmbeddedLog({ dir, maintenanceIntervalMs: 0 });
      await log.open();
      const batch = Array.from({ length: BATCH }, (_, i) => ({ key: Buffer.from(`key-${i}`), value: VALUE, partition: 0 }));
      let round = 0;
      const append = await medianRate(RECORDS, async () => {
        const topic = `append-${round++}`;
        await log.createTopics([{ name: topic }]);
        for (let i = 0; i < RECORDS / BATCH; i++) await log.append(topic, batch);
      });
      const read = await medianRate(RECORDS, async () => {
        let offset = 0;
        for (;;) {
          const page = await log.read({ topic: 'append-0', partition: 0 }, offset, { maxRecords: 5000 });
          if (page.length === 0) break;
          offset = page[page.length - 1]!.offset + 1;
        }
      });
      await log.close();
      return [
        { name: 'log.embedded.append', value: append, unit: 'records/s', note: `${BATCH}-record batches, 200 B values` },
        { name: 'log.embedded.read', value: read, unit: 'records/s', note: 'sequential, 5000-record reads' },
      ];
    }),
};
