import { expect } from 'chai';
import fc from 'fast-check';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import { WindowedSerdes } from '../../src/dsl/windowed-serdes.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();
const long = Serdes.long();

/** What happens after a record is piped: nothing, a commit, or a crash in one of the driver's two phases. */
type Step = 'none' | 'commit' | 'before-flush' | 'after-flush';
const step = fc.constantFrom<Step>('none', 'none', 'none', 'commit', 'before-flush', 'after-flush');

/**
 * The at-least-once accounting the engine promises, per counted unit (a key, or a key's window):
 * - a commit makes everything processed so far durable;
 * - a 'before-flush' crash loses every record the application wrote since the last commit
 *   (changelog included), so state is rebuilt to the last commit and the replay of the input
 *   since then counts each record exactly once: exact model, and duplicates that were pending
 *   (from earlier after-flush crashes since that commit) vanish with it;
 * - an 'after-flush' crash keeps those writes but not the input offsets, so the restored state
 *   already holds the records since the last commit and the replay counts each of them once
 *   more: the result exceeds the model by exactly the replayed records.
 * So: result = model + committed duplicates + pending duplicates, and
 * model <= result <= model + (records replayed by all after-flush crashes).
 */
class AtLeastOnceLedger {
  readonly committed = new Map<string, number>();
  pending = new Map<string, number>();
  replayedTotal = 0;
  #committedIndex = 0;

  commit(processed: number): void {
    for (const [unit, n] of this.pending) this.committed.set(unit, (this.committed.get(unit) ?? 0) + n);
    this.pending = new Map();
    this.#committedIndex = processed;
  }

  crash(phase: 'before-flush' | 'after-flush', processed: number, unitsOf: (index: number) => string[]): void {
    if (phase === 'before-flush') {
      this.pending = new Map();
      return;
    }
    for (let i = this.#committedIndex; i < processed; i++) {
      this.replayedTotal++;
      for (const unit of unitsOf(i)) this.pending.set(unit, (this.pending.get(unit) ?? 0) + 1);
    }
  }

  duplicates(unit: string): number {
    return (this.committed.get(unit) ?? 0) + (this.pending.get(unit) ?? 0);
  }
}

/** Pipes the records, applying each step after its record, and keeps the ledger. */
async function runWithSteps(driver: TopologyTestDriver, input: readonly (readonly [string, number])[], steps: readonly Step[], unitsOf: (i: number) => string[]) {
  const ledger = new AtLeastOnceLedger();
  const topic = driver.createInputTopic('in', str, int);
  for (let i = 0; i < input.length; i++) {
    const [k, ts] = input[i]!;
    topic.pipeInput(k, 1, ts);
    const s = steps[i] ?? 'none';
    if (s === 'commit') {
      driver.commit();
      ledger.commit(i + 1);
    } else if (s !== 'none') {
      await driver.crash({ phase: s });
      ledger.crash(s, i + 1, unitsOf);
    }
  }
  return ledger;
}

describe('DSL > Aggregations under crashes (properties)', () => {
  it('count restored from its changelog equals the model plus exactly the at-least-once duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat({ max: 1000 })), { minLength: 1, maxLength: 30, size: 'medium' }),
        fc.array(step, { maxLength: 30, size: 'medium' }),
        async (input, steps) => {
          const builder = new StreamsBuilder();
          builder.stream('in', { keySerde: str, valueSerde: int }).groupByKey().count({ materialized: { storeName: 'counts' } }).toStream().to('out');
          const driver = await TopologyTestDriver.create(builder.build(), { autoCommit: false });
          const ledger = await runWithSteps(driver, input, steps, (i) => [input[i]![0]]);
          const store = driver.getKeyValueStore<string, number>('counts');
          const outputs = driver.createOutputTopic('out', str, long).readKeyValuesToMap();
          for (const k of new Set(input.map(([key]) => key))) {
            const model = input.filter(([key]) => key === k).length;
            const actual = store.get(k)!;
            expect(actual).to.equal(model + ledger.duplicates(k));
            expect(actual).to.be.within(model, model + ledger.replayedTotal);
            expect(outputs.get(k)).to.equal(actual);
          }
          await driver.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('windowed counts restored from the window store changelog equal the model, exceeding it by at most the duplicates', async () => {
    const size = 20;
    const grace = 15;
    // Timestamps never fall more than the grace behind the highest one before them, so no
    // record is late before or after a crash (stream time restarts with the replay).
    const input = fc
      .array(fc.tuple(fc.constantFrom('a', 'b'), fc.nat({ max: 10 }), fc.nat({ max: grace })), { minLength: 1, maxLength: 30, size: 'medium' })
      .map((rows) => {
        let base = 0;
        return rows.map(([k, advance, jitter]) => [k, (base += advance) + jitter] as const);
      });
    await fc.assert(
      fc.asyncProperty(input, fc.array(step, { maxLength: 30, size: 'medium' }), async (records, steps) => {
        const builder = new StreamsBuilder();
        builder
          .stream('in', { keySerde: str, valueSerde: int })
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(size, grace).advanceBy(10))
          .count({ materialized: { storeName: 'windowed-counts' } })
          .toStream()
          .to('out');
        const driver = await TopologyTestDriver.create(builder.build(), { autoCommit: false });
        const unitsOf = (i: number) => {
          const [k, ts] = records[i]!;
          return TimeWindows.ofSizeAndGrace(size, grace).advanceBy(10).windowsFor(ts).map((w) => `${k}@${w.start}`);
        };
        const ledger = await runWithSteps(driver, records, steps, unitsOf);
        const model = new Map<string, number>();
        records.forEach((_r, i) => unitsOf(i).forEach((u) => model.set(u, (model.get(u) ?? 0) + 1)));
        const latest = new Map<string, number>();
        for (const r of driver.createOutputTopic('out', WindowedSerdes.timeWindowed(str, size), long).readRecordsToList()) {
          latest.set(`${r.key!.key}@${r.key!.window.start}`, r.value!);
        }
        expect([...latest.keys()].sort()).to.deep.equal([...model.keys()].sort());
        for (const [unit, n] of model) {
          // A replayed record can also find its window closed (the restored store remembers how
          // far stream time went) and be dropped as late, so duplicates are a bound here...
          expect(latest.get(unit)).to.be.within(n, n + ledger.duplicates(unit));
          // ...and without after-flush crashes there are none: the result is exact.
          if (ledger.replayedTotal === 0) expect(latest.get(unit)).to.equal(n);
        }
        await driver.close();
      }),
      { numRuns: 40 },
    );
  });
});
