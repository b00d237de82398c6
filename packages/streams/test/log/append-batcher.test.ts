import { expect } from 'chai';
import fc from 'fast-check';
import { AppendBatcher } from '../../src/log/append-batcher.js';
import { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import type { Log, ProducerRecord } from '../../src/log/types.js';
import type { StreamsError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const b = (s: string) => Buffer.from(s);

/** A real embedded log whose append calls are counted. */
async function countingLog(partitions = 1): Promise<{ log: EmbeddedLog; appends: () => number; batcherLog: Pick<Log, 'append'> }> {
  const log = new EmbeddedLog({ dir: tempDir('append-batcher'), maintenanceIntervalMs: 0 });
  await log.open();
  await log.createTopics([{ name: 't', partitions }, { name: 'u', partitions: 1 }, { name: 'compacted', partitions: 1, config: { cleanupPolicy: 'compact' } }]);
  let calls = 0;
  const batcherLog = {
    append: (topic: string, records: ProducerRecord[]) => {
      calls++;
      return log.append(topic, records);
    },
  };
  return { log, appends: () => calls, batcherLog };
}

describe('Log > AppendBatcher', () => {
  it('sends appends made in one turn of the event loop as one log append, answering each caller its own offsets', async () => {
    const { log, appends, batcherLog } = await countingLog();
    const batcher = new AppendBatcher(batcherLog);
    const answers = await Promise.all([
      batcher.append('t', [{ key: b('a'), value: b('1') }]),
      batcher.append('t', [{ key: b('b'), value: b('2') }, { key: b('c'), value: b('3') }]),
      batcher.append('u', [{ key: b('d'), value: b('4') }]),
    ]);
    expect(appends()).to.equal(2);
    expect(answers.map((a) => a.map((m) => `${m.topic}@${m.offset}`))).to.deep.equal([['t@0'], ['t@1', 't@2'], ['u@0']]);
    const stored = await log.read({ topic: 't', partition: 0 }, 0);
    expect(stored.map((r) => r.value!.toString())).to.deep.equal(['1', '2', '3']);
    await log.close();
  });

  it('sends a batch at once when it reaches maxRecords', async () => {
    const { log, appends, batcherLog } = await countingLog();
    const batcher = new AppendBatcher(batcherLog, { maxRecords: 2 });
    const first = batcher.append('t', [{ key: null, value: b('1') }, { key: null, value: b('2') }]);
    expect(appends(), 'sent synchronously when full').to.equal(1);
    const second = batcher.append('t', [{ key: null, value: b('3') }]);
    expect(appends()).to.equal(1);
    await Promise.all([first, second]);
    expect(appends()).to.equal(2);
    await log.close();
  });

  it('waits lingerMs for more records, and flush() sends what is pending', async () => {
    const { log, appends, batcherLog } = await countingLog();
    const batcher = new AppendBatcher(batcherLog, { lingerMs: 60_000 });
    const pending = batcher.append('t', [{ key: null, value: b('1') }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(appends()).to.equal(0);
    await batcher.flush();
    expect(appends()).to.equal(1);
    expect((await pending)[0]!.offset).to.equal(0);
    await log.close();
  });

  it('rejects every caller of a batch the log refuses, and keeps working afterwards', async () => {
    const { log, batcherLog } = await countingLog();
    const batcher = new AppendBatcher(batcherLog);
    const results = await Promise.allSettled([
      batcher.append('compacted', [{ key: b('k'), value: b('ok') }]),
      batcher.append('compacted', [{ key: null, value: b('no key') }]),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as StreamsError).code : 'ok'))).to.deep.equal(['STREAMS_INVALID_RECORD', 'STREAMS_INVALID_RECORD']);
    expect((await batcher.append('compacted', [{ key: b('k'), value: b('later') }]))[0]!.offset).to.equal(0);
    await log.close();
  });

  it('refuses a negative lingerMs and a maxRecords below 1', () => {
    expect(() => new AppendBatcher({ append: async () => [] }, { lingerMs: -1 })).to.throw(RangeError);
    expect(() => new AppendBatcher({ append: async () => [] }, { maxRecords: 0 })).to.throw(RangeError);
  });

  it('stores exactly the records of any interleaving of callers, each answered with the metadata of its own records', async () => {
    const { log, batcherLog } = await countingLog(3);
    let next = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ size: fc.integer({ min: 0, max: 5 }), yieldBefore: fc.boolean() }), { maxLength: 30 }), fc.integer({ min: 1, max: 8 }), async (callers, maxRecords) => {
        const batcher = new AppendBatcher(batcherLog, { maxRecords });
        const sent = callers.map((c) => Array.from({ length: c.size }, () => `v${next++}`));
        const answers = await Promise.all(
          sent.map(async (values, i) => {
            if (callers[i]!.yieldBefore) await new Promise((r) => setImmediate(r));
            return batcher.append('t', values.map((v) => ({ key: b(v), value: b(v) })));
          }),
        );
        for (let i = 0; i < sent.length; i++) {
          expect(answers[i]!.length).to.equal(sent[i]!.length);
          for (let j = 0; j < sent[i]!.length; j++) {
            const m = answers[i]![j]!;
            const [record] = await log.read({ topic: 't', partition: m.partition }, m.offset, { maxRecords: 1 });
            expect(record!.value!.toString()).to.equal(sent[i]![j]);
          }
        }
      }),
      { numRuns: 40 },
    );
    await log.close();
  });
});
