import { expect } from 'chai';
import fc from 'fast-check';
import { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { isStreamsError } from '../../src/errors.js';
import { FaultyFs, type Fault, type FaultyCall } from '../../src/testing/faulty-fs.js';
import { smallDisk } from '../helpers/small-disk.js';
import { tempDir } from '../helpers/temp-dir.js';

const PARTITIONS = 2;
const runs = Number(process.env.PARLEY_FAULT_RUNS ?? 40);

async function readAll(log: EmbeddedLog, partition: number) {
  const out = [];
  let offset = await log.beginningOffset({ topic: 't', partition });
  for (;;) {
    const page = await log.read({ topic: 't', partition }, offset, { maxRecords: 100 });
    if (page.length === 0) return out;
    out.push(...page);
    offset = page[page.length - 1]!.offset + 1;
  }
}

/** Every acknowledged record, at the offset it was acknowledged with, dense from 0, and nothing else. */
async function expectExactly(log: EmbeddedLog, acked: string[][]): Promise<void> {
  for (let p = 0; p < PARTITIONS; p++) {
    const records = await readAll(log, p);
    expect(records.map((r) => r.offset), `offsets of partition ${p}`).to.deep.equal(acked[p]!.map((_, i) => i));
    expect(records.map((r) => r.value!.toString()), `values of partition ${p}`).to.deep.equal(acked[p]);
    expect(await log.endOffset({ topic: 't', partition: p })).to.equal(acked[p]!.length);
  }
}

type Step =
  | { kind: 'append'; partition: number; count: number; size: number; fault?: { call: FaultyCall; code: string; partial: number; cutFails: boolean } }
  | { kind: 'reopen' };

const faultArb = fc.record({
  call: fc.constantFrom<FaultyCall>('write', 'fdatasync'),
  code: fc.constantFrom('ENOSPC', 'EIO'),
  partial: fc.double({ min: 0, max: 1, noNaN: true }),
  cutFails: fc.boolean(),
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('append' as const), partition: fc.nat(PARTITIONS - 1), count: fc.integer({ min: 1, max: 6 }), size: fc.integer({ min: 0, max: 300 }), fault: fc.option(faultArb, { nil: undefined, freq: 2 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

describe('Log > EmbeddedLog > injected disk faults', () => {
  it('after any schedule of ENOSPC/EIO faults and reopens, exactly the acknowledged records are there, at dense offsets (property)', async function () {
    this.timeout(120_000);
    let appendsFailed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 40 }), fc.boolean(), async (steps, fsync) => {
        const dir = tempDir('faults');
        const faults = new FaultyFs();
        const open = async () => {
          const log = new EmbeddedLog({ dir, fs: faults, fsync, segmentBytes: 1024, maintenanceIntervalMs: 0, onCorruption: () => {} });
          await log.open();
          return log;
        };
        let log = await open();
        await log.createTopics([{ name: 't', partitions: PARTITIONS }]);
        const acked: string[][] = Array.from({ length: PARTITIONS }, () => []);
        let n = 0;
        try {
          for (const step of steps) {
            if (step.kind === 'reopen') {
              await log.close();
              log = await open();
              await expectExactly(log, acked);
              continue;
            }
            const values = Array.from({ length: step.count }, () => `${n++}:${'x'.repeat(step.size)}`);
            const bytes = values.reduce((sum, v) => sum + v.length + 40, 0);
            const { fault } = step;
            // A fdatasync fault only bites with fsync on; without it the append succeeds.
            const bites = fault !== undefined && (fault.call === 'write' || fsync);
            if (fault !== undefined) {
              const armed: Fault = { code: fault.code, partialBytes: Math.floor(fault.partial * bytes) };
              faults.failNext(fault.call, armed);
              if (fault.cutFails && bites) faults.failNext('truncate', { code: 'EIO' });
            }
            try {
              const metadata = await log.append('t', values.map((v) => ({ key: null, value: Buffer.from(v), partition: step.partition })));
              expect(bites, 'an append with a fault that bites must fail').to.equal(false);
              expect(metadata.map((m) => m.offset)).to.deep.equal(values.map((_, i) => acked[step.partition]!.length + i));
              acked[step.partition]!.push(...values);
            } catch (err) {
              if (!bites || !isStreamsError(err, 'STREAMS_LOG_IO') || !err.retriable) throw err;
              appendsFailed++;
            }
            faults.clear();
            await expectExactly(log, acked);
          }
          await log.close();
          log = await open();
          await expectExactly(log, acked);
        } finally {
          faults.clear();
          await log.close();
        }
      }),
      { numRuns: runs },
    );
    // The schedules did make appends fail (the property is not vacuous).
    expect(appendsFailed).to.be.greaterThan(0);
  });

  it('refuses appends while the disk is full and takes them again once it has room, losing none', async () => {
    const dir = tempDir('disk-full');
    const faults = new FaultyFs();
    let log = new EmbeddedLog({ dir, fs: faults, maintenanceIntervalMs: 0 });
    await log.open();
    await log.createTopics([{ name: 't' }]);
    await log.append('t', [{ key: null, value: Buffer.from('before') }]);
    faults.failAll('write', { code: 'ENOSPC', partialBytes: 10 });
    for (let i = 0; i < 3; i++) {
      const err = await log.append('t', [{ key: null, value: Buffer.from(`refused ${i}`) }]).then(() => undefined, (e: unknown) => e);
      expect(isStreamsError(err, 'STREAMS_LOG_IO') && err.retriable, String(err)).to.equal(true);
      expect((err as Error).message).to.contain('ENOSPC');
      expect(await log.endOffset({ topic: 't', partition: 0 })).to.equal(1);
    }
    faults.clear();
    const [meta] = await log.append('t', [{ key: null, value: Buffer.from('after') }]);
    expect(meta!.offset).to.equal(1);
    await log.close();
    log = new EmbeddedLog({ dir, maintenanceIntervalMs: 0 });
    await log.open();
    expect((await readAll(log, 0)).map((r) => r.value!.toString())).to.deep.equal(['before', 'after']);
    await log.close();
  });

  // Issue 9's scenario on a disk that really fills up (a tmpfs when the tests may mount one).
  it('loses no acknowledged record when the disk fills up mid-stream and is freed again', async function () {
    this.timeout(60_000);
    const disk = smallDisk('full-disk');
    try {
      const open = async (withLayer: boolean) => {
        const log = new EmbeddedLog({ dir: disk.dir, fs: withLayer ? disk.fs : undefined, maintenanceIntervalMs: 0, segmentBytes: 64 * 1024 });
        await log.open();
        return log;
      };
      let log = await open(true);
      await log.createTopics([{ name: 't' }]);
      const acked: string[] = [];
      let refused = 0;
      const send = async (i: number) => {
        const value = `message ${i} ${'.'.repeat(i % 500)}`;
        try {
          const [meta] = await log.append('t', [{ key: null, value: Buffer.from(value) }]);
          expect(meta!.offset).to.equal(acked.length);
          acked.push(value);
        } catch (err) {
          if (!isStreamsError(err, 'STREAMS_LOG_IO') || !err.retriable) throw err;
          refused++;
        }
      };
      let i = 0;
      for (; i < 200; i++) await send(i);
      disk.fill();
      for (; i < 400; i++) await send(i);
      expect(refused, `appends refused on the full ${disk.kind}`).to.be.greaterThan(0);
      disk.free();
      for (; i < 600; i++) await send(i);
      await log.close();
      log = await open(false);
      const records = await readAll(log, 0);
      await log.close();
      expect(records.map((r) => r.offset)).to.deep.equal(acked.map((_, n) => n));
      expect(records.map((r) => r.value!.toString())).to.deep.equal(acked);
    } finally {
      disk.dispose();
    }
  });
});
