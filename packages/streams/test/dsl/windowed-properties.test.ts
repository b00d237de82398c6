import { expect } from 'chai';
import fc from 'fast-check';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { SlidingWindows } from '../../src/dsl/sliding-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import { WindowedSerdes } from '../../src/dsl/windowed-serdes.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { Serde } from '../../src/serde/types.js';
import type { KGroupedStream } from '../../src/dsl/k-grouped-stream.js';
import type { KTable } from '../../src/dsl/k-table.js';
import type { Windowed } from '../../src/dsl/windowed.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();
const long = Serdes.long();

type Rec = readonly [string, number];
const keyed = (maxTs: number) => fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: maxTs })), { maxLength: 40, size: 'medium' });

/** Pipes `input` (value 1 each) through `in → groupByKey → count → out`, `count` choosing the windows. */
async function pipeCounts(count: (grouped: KGroupedStream<string, number>) => KTable<Windowed<string>, number>, input: readonly Rec[]) {
  const builder = new StreamsBuilder();
  count(builder.stream('in', { keySerde: str, valueSerde: int }).groupByKey()).toStream().to('out');
  const driver = await TopologyTestDriver.create(builder.build());
  const topic = driver.createInputTopic('in', str, int);
  for (const [k, ts] of input) topic.pipeInput(k, 1, ts);
  return driver;
}

/** The timestamps of each key of `input`, in input order. */
function timesByKey(input: readonly Rec[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const [k, ts] of input) times.set(k, [...(times.get(k) ?? []), ts]);
  return times;
}

/** The latest value per windowed key `key@start-end` in the output (a null value deletes). */
function latest(driver: TopologyTestDriver, keySerde: Serde<Windowed<string>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of driver.createOutputTopic('out', keySerde, long).readRecordsToList()) {
    const id = `${r.key!.key}@${r.key!.window.start}-${r.key!.window.end}`;
    if (r.value === null) out.delete(id);
    else out.set(id, r.value);
  }
  return out;
}

describe('DSL > Windowed aggregations (properties)', () => {
  it('tumbling and hopping counts emit exactly the model of epoch-aligned windows with observed-time lateness', async () => {
    const windows = fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 40 }))
      .map(([size, advanceSeed, grace]) => ({ size, advance: 1 + (advanceSeed % size), grace }));
    await fc.assert(
      fc.asyncProperty(keyed(300), windows, async (input, { size, advance, grace }) => {
        let late = 0;
        const driver = await pipeCounts(
          (grouped) => grouped.windowedBy(TimeWindows.ofSizeAndGrace(size, grace).advanceBy(advance)).count({ onDropped: () => void late++ }),
          input,
        );
        // Model: windows [s, s + size) with s a multiple of advance, s >= 0; a window accepts a
        // record while its end > (max timestamp so far) - grace.
        const counts = new Map<string, { n: number; ts: number }>();
        const expected: string[] = [];
        let observed = -1;
        let modelLate = 0;
        for (const [k, ts] of input) {
          observed = Math.max(observed, ts);
          for (let s = Math.max(0, Math.floor((ts - size) / advance) + 1) * advance; s <= ts; s += advance) {
            if (s + size <= observed - grace) {
              modelLate++;
              continue;
            }
            const id = `${k}@${s}-${s + size}`;
            const prev = counts.get(id);
            const next = { n: (prev?.n ?? 0) + 1, ts: Math.max(prev?.ts ?? ts, ts) };
            counts.set(id, next);
            expected.push(`${id}=${next.n}/${next.ts}`);
          }
        }
        const actual = driver
          .createOutputTopic('out', WindowedSerdes.timeWindowed(str, size), long)
          .readRecordsToList()
          .map((r) => `${r.key!.key}@${r.key!.window.start}-${r.key!.window.end}=${r.value}/${r.timestamp}`);
        expect(actual).to.deep.equal(expected);
        expect(late).to.equal(modelLate);
      }),
      { numRuns: 60 },
    );
  });

  it("onWindowClose emits each window's final count once, and only windows that closed", async () => {
    await fc.assert(
      fc.asyncProperty(keyed(300), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 30 }), async (input, size, grace) => {
        const driver = await pipeCounts((grouped) => grouped.windowedBy(TimeWindows.ofSizeAndGrace(size, grace)).emitStrategy('onWindowClose').count(), input);
        const counts = new Map<string, number>();
        let observed = -1;
        for (const [k, ts] of input) {
          observed = Math.max(observed, ts);
          const s = ts - (ts % size);
          if (s + size > observed - grace) counts.set(`${k}@${s}-${s + size}`, (counts.get(`${k}@${s}-${s + size}`) ?? 0) + 1);
        }
        const closed = [...counts].filter(([id]) => Number(id.split('-')[1]) <= observed - grace);
        const emitted = driver
          .createOutputTopic('out', WindowedSerdes.timeWindowed(str, size), long)
          .readRecordsToList()
          .map((r) => [`${r.key!.key}@${r.key!.window.start}-${r.key!.window.end}`, r.value] as const);
        expect(new Set(emitted.map(([id]) => id)).size).to.equal(emitted.length);
        expect(new Map(emitted)).to.deep.equal(new Map(closed));
      }),
      { numRuns: 60 },
    );
  });

  it('sliding windows end as the model: each record’s left window, right windows where later records fall, counted exactly', async () => {
    await fc.assert(
      fc.asyncProperty(keyed(120), fc.integer({ min: 1, max: 30 }), async (input, d) => {
        // A grace covering the whole input: nothing is late, so every window must be exact.
        const driver = await pipeCounts((grouped) => grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(d, 1000)).count(), input);
        const model = new Map<string, number>();
        for (const [k, times] of timesByKey(input)) {
          const count = (s: number) => times.filter((t) => t >= s && t <= s + d).length;
          for (const t of times) {
            const left = Math.max(0, t - d);
            model.set(`${k}@${left}-${left + d}`, count(left));
            if (times.some((u) => u > t && u <= t + 1 + d)) model.set(`${k}@${t + 1}-${t + 1 + d}`, count(t + 1));
          }
        }
        expect(latest(driver, WindowedSerdes.timeWindowed(str, d))).to.deep.equal(model);
      }),
      { numRuns: 80 },
    );
  });

  it('sessions end as the model: timestamps of a key at most the gap apart form one session, whatever the order', async () => {
    await fc.assert(
      fc.asyncProperty(keyed(200), fc.integer({ min: 1, max: 30 }), async (input, gap) => {
        const driver = await pipeCounts((grouped) => grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(gap, 1000)).count(), input);
        const model = new Map<string, number>();
        for (const [k, unordered] of timesByKey(input)) {
          const times = unordered.sort((x, y) => x - y);
          let start = times[0]!;
          let n = 0;
          times.forEach((t, i) => {
            if (i > 0 && t - times[i - 1]! > gap) {
              model.set(`${k}@${start}-${times[i - 1]}`, n);
              start = t;
              n = 0;
            }
            n++;
          });
          model.set(`${k}@${start}-${times[times.length - 1]}`, n);
        }
        expect(latest(driver, WindowedSerdes.sessionWindowed(str))).to.deep.equal(model);
      }),
      { numRuns: 80 },
    );
  });
});
