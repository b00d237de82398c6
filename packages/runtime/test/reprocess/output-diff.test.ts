import { expect } from 'chai';
import fc from 'fast-check';
import { EmbeddedLog } from '@parley/streams/embedded';
import { modelSerdes } from '@parley/communication';
import { channelId, conversationId, metadataRecords } from '@parley/schemas';
import { tempDir } from '../helpers.js';
import { compareKeyedOutput } from '../../src/reprocess/output-diff.js';
import { sameValue, supersedingValue } from '../../src/reprocess/metadata-precedence.js';
import { redirectAppends } from '../../src/reprocess/redirect-log.js';

/** A write: key index and value (null: tombstone). */
const writes = fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null })), { maxLength: 30 });

/** The latest value per key of a write sequence. */
function latest(ws: ReadonlyArray<readonly [number, string | null]>): Map<number, string | null> {
  const m = new Map<number, string | null>();
  for (const [k, v] of ws) m.set(k, v);
  return m;
}

describe('Reprocess > keyed diff', function () {
  this.timeout(120_000);
  let log: EmbeddedLog;
  let n = 0;
  before(async () => {
    log = new EmbeddedLog({ dir: tempDir('diff'), maintenanceIntervalMs: 0 });
    await log.open();
  });
  after(() => log?.close());

  it('classifies each key the shadow wrote by its latest value in both topics', async () => {
    await fc.assert(
      fc.asyncProperty(writes, writes, fc.integer({ min: 1, max: 3 }), async (liveWrites, shadowWrites, partitions) => {
        const [live, shadow] = [`live-${n}`, `shadow-${n++}`];
        await log.createTopics([{ name: live, partitions, config: { cleanupPolicy: 'compact' } }, { name: shadow, partitions, config: { cleanupPolicy: 'compact' } }]);
        const append = (topic: string, ws: ReadonlyArray<readonly [number, string | null]>) =>
          ws.length === 0 ? Promise.resolve([]) : log.append(topic, ws.map(([k, v]) => ({ key: Buffer.from(`k${k}`), value: v === null ? null : Buffer.from(v) })));
        await append(live, liveWrites);
        await append(shadow, shadowWrites);
        const { changes, unchanged } = await compareKeyedOutput(log, live, shadow);
        const [l, s] = [latest(liveWrites), latest(shadowWrites)];
        const expected: Array<[string, string]> = [];
        let same = 0;
        for (const [k, after] of s) {
          const before = l.get(k) ?? null;
          if (after === null && before === null) same++;
          else if (after === null) expected.push([`k${k}`, 'removed']);
          else if (before === null) expected.push([`k${k}`, 'added']);
          else if (before !== after) expected.push([`k${k}`, 'changed']);
          else same++;
        }
        expect(changes.map((c) => [c.key.toString(), c.kind]).sort()).to.deep.equal(expected.sort());
        expect(unchanged).to.equal(same);
        for (const c of changes) expect([c.before?.toString() ?? null, c.after?.toString() ?? null]).to.deep.equal([l.get(Number(c.key.toString().slice(1))) ?? null, s.get(Number(c.key.toString().slice(1)))]);
      }),
      { numRuns: 40 },
    );
  });

  it('compares Metadata without its timestamp, and restamps it so it takes precedence', () => {
    const serde = modelSerdes().metadata;
    const [record] = metadataRecords({ subject: `conversation:${conversationId(channelId('shop', 'web'), 'c1')}`, document: { contact: { display_name: 'Ada' } }, timestamp: 1000 });
    const a = serde.serialize(record!);
    const later = serde.serialize({ ...record!, timestamp: 2000 });
    const other = serde.serialize({ ...record!, value: 'Bob' });
    expect([sameValue(a, later), sameValue(a, other), sameValue(Buffer.from('x'), Buffer.from('y'))]).to.deep.equal([true, false, false]);
    expect(serde.deserialize(supersedingValue(a, 5000)!)).to.deep.equal({ ...record!, timestamp: 5000 });
    expect(serde.deserialize(supersedingValue(later, 1500)!).timestamp).to.equal(2000);
    expect([supersedingValue(null, 5000), supersedingValue(Buffer.from('raw'), 5000)?.toString()]).to.deep.equal([null, 'raw']);
  });

  it('redirects appends to mapped topics only', async () => {
    await log.createTopics([{ name: 'out' }, { name: 'out-shadow' }, { name: 'other' }]);
    const redirected = redirectAppends(log, new Map([['out', 'out-shadow']]));
    await redirected.append('out', [{ key: null, value: Buffer.from('1') }]);
    await redirected.append('other', [{ key: null, value: Buffer.from('2') }]);
    const ends = await Promise.all(['out', 'out-shadow', 'other'].map((topic) => log.endOffset({ topic, partition: 0 })));
    expect(ends).to.deep.equal([0, 1, 1]);
  });
});
