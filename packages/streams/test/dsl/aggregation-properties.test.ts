import { expect } from 'chai';
import fc from 'fast-check';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();
const long = Serdes.long();

type Rec = readonly [string | null, number | null, number];

const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'd') }, { weight: 1, arbitrary: fc.constant(null) });
const value = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -100, max: 100 }) }, { weight: 1, arbitrary: fc.constant(null) });
const records = fc.array(fc.tuple(key, value, fc.integer({ min: 0, max: 1000 })), { maxLength: 40, size: 'medium' });

/** The running (count, sum, values, max timestamp) per key that Kafka's semantics prescribe. */
function runningModel(input: readonly Rec[]) {
  const state = new Map<string, { count: number; sum: number; values: number[]; ts: number }>();
  const steps: { key: string; count: number; sum: number; values: number[]; ts: number }[] = [];
  for (const [k, v, ts] of input) {
    if (k === null || v === null) continue;
    const prev = state.get(k);
    const next = prev === undefined
      ? { count: 1, sum: v, values: [v], ts }
      : { count: prev.count + 1, sum: prev.sum + v, values: [...prev.values, v], ts: Math.max(prev.ts, ts) };
    state.set(k, next);
    steps.push({ key: k, ...next });
  }
  return { state, steps };
}

describe('DSL > Aggregations (properties)', () => {
  it('count, reduce (sum) and aggregate (collect) emit exactly the running model, skipping null keys and values', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (input) => {
        const builder = new StreamsBuilder();
        const grouped = builder.stream('in', { keySerde: str, valueSerde: int }).groupByKey();
        grouped.count({ materialized: { storeName: 'count' } }).toStream().to('count-out');
        grouped.reduce((a, b) => a + b, { materialized: { storeName: 'sum' } }).toStream().to('sum-out');
        grouped
          .aggregate<number[]>(() => [], (_k, v, all) => [...all, v], { materialized: { storeName: 'all', valueSerde: Serdes.json<number[]>() } })
          .toStream()
          .to('all-out');
        const driver = await TopologyTestDriver.create(builder.build());
        const topic = driver.createInputTopic('in', str, int);
        for (const [k, v, ts] of input) topic.pipeInput(k, v, ts);
        const { state, steps } = runningModel(input);
        const read = <T>(name: string, serde: typeof long | typeof int | ReturnType<typeof Serdes.json<number[]>>) =>
          driver.createOutputTopic(name, str, serde as never).readRecordsToList().map((r) => ({ key: r.key, value: r.value as T, ts: r.timestamp }));
        expect(read('count-out', long)).to.deep.equal(steps.map((s) => ({ key: s.key, value: s.count, ts: s.ts })));
        expect(read('sum-out', int)).to.deep.equal(steps.map((s) => ({ key: s.key, value: s.sum, ts: s.ts })));
        expect(read('all-out', Serdes.json<number[]>())).to.deep.equal(steps.map((s) => ({ key: s.key, value: s.values, ts: s.ts })));
        for (const [k, s] of state) expect(driver.getKeyValueStore('count').get(k)).to.equal(s.count);
      }),
      { numRuns: 40 },
    );
  });

  it('groupBy counts equal the model whatever the number of partitions', async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.integer({ min: 1, max: 4 }), async (input, partitions) => {
        const builder = new StreamsBuilder();
        builder
          .stream('in', { keySerde: str, valueSerde: int })
          .groupBy((_k, v) => `m${Math.abs(v) % 3}`, { keySerde: str })
          .count({ materialized: { storeName: 'mods' } });
        const driver = await TopologyTestDriver.create(builder.build(), { partitions });
        const topic = driver.createInputTopic('in', str, int);
        for (const [k, v, ts] of input) topic.pipeInput(k, v, ts);
        const model = new Map<string, number>();
        // The key is selected before the null checks, so only null values are skipped.
        for (const [, v] of input) if (v !== null) model.set(`m${Math.abs(v) % 3}`, (model.get(`m${Math.abs(v) % 3}`) ?? 0) + 1);
        const store = driver.getKeyValueStore<string, number>('mods');
        for (const k of ['m0', 'm1', 'm2']) expect(store.get(k)).to.equal(model.get(k));
      }),
      { numRuns: 30 },
    );
  });

  it('KGroupedTable count and sum equal the model computed from the table it ends with', async () => {
    const update = fc.tuple(fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5'), fc.option(fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 1, max: 50 })), { nil: null }));
    await fc.assert(
      fc.asyncProperty(fc.array(update, { maxLength: 40, size: 'medium' }), async (updates) => {
        const builder = new StreamsBuilder();
        const grouped = builder
          .table('rows', { keySerde: str, valueSerde: Serdes.json<[string, number]>() })
          .groupBy((_row, [group, amount]) => [group, amount] as const, { keySerde: str, valueSerde: int });
        grouped.count({ materialized: { storeName: 'n' } });
        grouped.aggregate(() => 0, (_g, v, sum) => sum + v, (_g, v, sum) => sum - v, { materialized: { storeName: 'total', valueSerde: int } });
        const driver = await TopologyTestDriver.create(builder.build());
        const topic = driver.createInputTopic('rows', str, Serdes.json<[string, number]>());
        const table = new Map<string, [string, number]>();
        const seen = new Set<string>();
        for (const [row, v] of updates) {
          topic.pipeInput(row, v);
          if (v === null) table.delete(row);
          else {
            table.set(row, v);
            seen.add(v[0]);
          }
        }
        for (const group of seen) {
          const rows = [...table.values()].filter(([g]) => g === group);
          expect(driver.getKeyValueStore('n').get(group)).to.equal(rows.length);
          expect(driver.getKeyValueStore('total').get(group)).to.equal(rows.reduce((s, [, a]) => s + a, 0));
        }
      }),
      { numRuns: 40 },
    );
  });
});
