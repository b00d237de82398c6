import { expect } from 'chai';
import fc from 'fast-check';
import { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { PartitionLog } from '../../src/log/embedded/partition-log.js';
import { nodeSegmentFs } from '../../src/log/embedded/segment-fs.js';
import type { TopicConfig } from '../../src/log/types.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * Compaction in steps (the embedded log's maintenance timer gives the event loop back between
 * them): whatever appends, rolls and other compactions run between two steps, no key ever loses
 * its latest live record, every record read is one that was appended at that offset, and once
 * the steps end a last full compaction leaves exactly the latest live value per key.
 */

const b = (s: string) => Buffer.from(s);
const CONFIG: Required<TopicConfig> = { cleanupPolicy: 'compact', retentionMs: -1, deleteRetentionMs: 0 };

function openPartition(dir: string): PartitionLog {
  return new PartitionLog({ dir, topic: 'c', partition: 0, segmentBytes: 200, fsync: false, io: { fs: nodeSegmentFs, onCorruption: () => undefined } });
}

type Op = { kind: 'put'; key: number; value: number } | { kind: 'delete'; key: number } | { kind: 'roll' } | { kind: 'step' } | { kind: 'start' } | { kind: 'compact' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.integer({ min: 0, max: 5 }), value: fc.nat(1000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'roll' as const }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'step' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'start' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
);

describe('Log > EmbeddedLog > compaction in steps', () => {
  it('keeps every key its latest live record whatever runs between steps, and ends compacted (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const partition = openPartition(tempDir('compaction-steps'));
        try {
          const latest = new Map<string, { offset: number; value: string | null }>();
          const appended = new Map<number, string | null>();
          let steps: Generator<void, void, void> | undefined;
          let now = 0;
          const check = () => {
            const records = partition.read(0, Number.MAX_SAFE_INTEGER);
            const offsets = records.map((r) => r.offset);
            expect(offsets).to.deep.equal([...offsets].sort((x, y) => x - y));
            for (const r of records) expect(r.value?.toString() ?? null).to.equal(appended.get(r.offset));
            const present = new Set(offsets);
            for (const [key, { offset, value }] of latest) {
              if (value !== null) expect(present.has(offset), `${key}'s latest record (offset ${offset})`).to.equal(true);
              // A tombstone may go once expired, but then with every older record of its key (no value comes back).
              else if (!present.has(offset)) expect(records.filter((r) => r.key!.toString() === key).map((r) => r.offset), `${key} after its expired tombstone`).to.deep.equal([]);
            }
            return records;
          };
          for (const o of ops) {
            if (o.kind === 'roll') partition.roll();
            else if (o.kind === 'start') steps = partition.compactionSteps(CONFIG, now, 0);
            else if (o.kind === 'step') {
              if (steps?.next().done === true) steps = undefined;
            } else if (o.kind === 'compact') partition.compact(CONFIG, now);
            else {
              now += 1;
              const value = o.kind === 'put' ? `v${o.value}` : null;
              const offset = partition.append([{ key: b(`k${o.key}`), value: value === null ? null : b(value), timestamp: now }], now);
              appended.set(offset, value);
              latest.set(`k${o.key}`, { offset, value });
            }
            check();
          }
          while (steps !== undefined && steps.next().done !== true);
          // Tombstones older than deleteRetentionMs (0) go in a full pass once their segment is closed.
          partition.roll();
          partition.compact(CONFIG, now + 1);
          const records = check();
          const live = [...latest].filter(([, v]) => v.value !== null);
          expect(records.map((r) => [r.key!.toString(), r.offset])).to.have.deep.members(live.map(([k, v]) => [k, v.offset]));
        } finally {
          partition.close();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('yields between slices on a large segment and stops once the partition is closed', () => {
    const partition = openPartition(tempDir('compaction-steps-close'));
    for (let i = 0; i < 50; i++) partition.append([{ key: b(`k${i % 3}`), value: b(`v${i}`) }], i);
    partition.roll();
    const steps = partition.compactionSteps(CONFIG, 100, 0);
    let taken = 0;
    while (taken < 10 && steps.next().done !== true) taken++;
    expect(taken, 'steps before the close').to.equal(10);
    partition.close();
    expect(steps.next().done, 'the step after the close ends the pass').to.equal(true);
  });

  it('the maintenance timer compacts in the background, and close() during a pass waits for it', async function () {
    this.timeout(30_000);
    const log = new EmbeddedLog({ dir: tempDir('compaction-timer'), segmentBytes: 4096, maintenanceIntervalMs: 5 });
    await log.open();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      await log.createTopics([{ name: 'c', config: { cleanupPolicy: 'compact' } }]);
      for (let batch = 0; batch < 20; batch++) {
        await log.append('c', Array.from({ length: 200 }, (_, i) => ({ key: b(`k${i % 10}`), value: b(`v${batch}-${i}`) })));
      }
      log.roll('c');
      // Eventually the 4,000 records are down to the latest of each of the 10 keys (and what the timer has not reached yet: none, once it has).
      const deadline = Date.now() + 20_000;
      let count = Infinity;
      while (Date.now() < deadline) {
        const end = await log.endOffset({ topic: 'c', partition: 0 });
        const records = [];
        for (let at = 0; at < end; ) {
          const got = await log.read({ topic: 'c', partition: 0 }, at, { maxRecords: 1000 });
          if (got.length === 0) break;
          records.push(...got);
          at = got.at(-1)!.offset + 1;
        }
        count = records.length;
        if (count === 10) {
          expect(new Map(records.map((r) => [r.key!.toString(), r.value!.toString()]))).to.deep.equal(new Map(Array.from({ length: 10 }, (_, k) => [`k${k}`, `v19-${190 + k}`])));
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(count, 'records left after background compaction').to.equal(10);
      // Keep appending so passes keep running, then close in the middle of them.
      await log.append('c', Array.from({ length: 500 }, (_, i) => ({ key: b(`k${i % 10}`), value: b(`again-${i}`) })));
      log.roll('c');
    } finally {
      await log.close();
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('maintenance'))).to.deep.equal([]);
  });
});
