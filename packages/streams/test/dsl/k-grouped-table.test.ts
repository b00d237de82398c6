import { expect } from 'chai';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { TestInputTopic } from '../../src/testing/test-input-topic.js';
import type { TestOutputTopic } from '../../src/testing/test-output-topic.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();
const long = Serdes.long();

interface Order {
  region: string;
  amount: number;
}
const orderSerde = Serdes.json<Order>();

/**
 * The KGroupedTable adder/subtractor table of streams-semantics §1.2 (Kafka's dsl-api.html,
 * "Aggregating", KGroupedTable), as golden vectors with caching off:
 *   first non-null value (INSERT)  → initializer (first time), then adder(new)
 *   later non-null value (UPDATE)  → subtractor(old), then adder(new)
 *   tombstone (DELETE)             → subtractor(old) only; a null result removes the key and a
 *                                    later record calls the initializer again
 * Output timestamps: the max of the contributing records (§1.2, "Output timestamps").
 * The aggregate sums amounts per region; the subtractor returns null when a region's sum drops
 * to 0, so the removal/re-initialization rows are exercised.
 */
const GOLDEN: readonly {
  row: string;
  order: string;
  value: Order | null;
  ts: number;
  calls: string[];
  out: [string, number | null, number][];
}[] = [
  { row: 'INSERT into a new group', order: 'o1', value: { region: 'EU', amount: 10 }, ts: 1, calls: ['init', 'add(EU,10,0)'], out: [['EU', 10, 1]] },
  { row: 'INSERT into an existing group', order: 'o2', value: { region: 'EU', amount: 5 }, ts: 2, calls: ['add(EU,5,10)'], out: [['EU', 15, 2]] },
  // Same group: one record carries old and new, so the subtractor runs before the adder.
  { row: 'UPDATE within a group', order: 'o1', value: { region: 'EU', amount: 7 }, ts: 3, calls: ['sub(EU,10,15)', 'add(EU,7,5)'], out: [['EU', 12, 3]] },
  // Different groups: the old group's retraction is forwarded first, then the new group's addition.
  {
    row: 'UPDATE moving to another group',
    order: 'o2',
    value: { region: 'US', amount: 5 },
    ts: 4,
    calls: ['sub(EU,5,12)', 'init', 'add(US,5,0)'],
    out: [['EU', 7, 4], ['US', 5, 4]],
  },
  { row: 'DELETE whose subtractor returns null removes the group', order: 'o1', value: null, ts: 5, calls: ['sub(EU,7,7)'], out: [['EU', null, 5]] },
  { row: 'INSERT into a removed group calls the initializer again', order: 'o3', value: { region: 'EU', amount: 1 }, ts: 6, calls: ['init', 'add(EU,1,0)'], out: [['EU', 1, 6]] },
  {
    row: 'UPDATE whose subtractor returns null re-initializes before adding',
    order: 'o2',
    value: { region: 'US', amount: 5 },
    ts: 7,
    calls: ['sub(US,5,5)', 'init', 'add(US,5,0)'],
    out: [['US', 5, 7]],
  },
  { row: 'DELETE of a key the table never had calls nothing', order: 'o9', value: null, ts: 8, calls: [], out: [] },
];

describe('DSL > KGroupedTable', () => {
  describe('adder/subtractor golden table (streams-semantics §1.2)', () => {
    const calls: string[] = [];
    let driver: TopologyTestDriver;
    let input: TestInputTopic<string, Order>;
    let output: TestOutputTopic<string, number>;

    before(async () => {
      const builder = new StreamsBuilder();
      builder
        .table('orders', { keySerde: str, valueSerde: orderSerde })
        .groupBy((_id, order) => [order.region, order.amount] as const, { keySerde: str, valueSerde: int })
        .aggregate<number>(
          () => (calls.push('init'), 0),
          (region, amount, sum) => (calls.push(`add(${region},${amount},${sum})`), sum + amount),
          (region, amount, sum) => (calls.push(`sub(${region},${amount},${sum})`), sum - amount === 0 ? null : sum - amount),
          { materialized: { storeName: 'sales', valueSerde: int } },
        )
        .toStream()
        .to('out', { valueSerde: int });
      driver = await TopologyTestDriver.create(builder.build());
      input = driver.createInputTopic('orders', str, orderSerde);
      output = driver.createOutputTopic('out', str, int);
    });

    after(() => driver.close());

    GOLDEN.forEach((step) => {
      it(`${step.row}: calls ${step.calls.join(', ') || 'nothing'}`, () => {
        calls.length = 0;
        input.pipeInput(step.order, step.value, step.ts);
        const records = output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);
        expect(calls).to.deep.equal(step.calls);
        expect(records).to.deep.equal(step.out);
      });
    });

    it('ends with the sums of the rows left in the table', () => {
      const store = driver.getKeyValueStore<string, number>('sales');
      expect([store.get('EU'), store.get('US')]).to.deep.equal([1, 5]);
    });
  });

  it('count goes down when rows leave a group and stays at 0', async () => {
    const builder = new StreamsBuilder();
    builder
      .table('users', { keySerde: str, valueSerde: str })
      .groupBy((user, city) => [city, user] as const, { keySerde: str, valueSerde: str })
      .count({ materialized: { storeName: 'per-city' } })
      .toStream()
      .to('out');
    const driver = await TopologyTestDriver.create(builder.build());
    const users = driver.createInputTopic('users', str, str);
    users.pipeKeyValueList([['ann', 'Oslo'], ['bob', 'Oslo'], ['ann', 'Rome'], ['bob', null]]);
    const out = driver.createOutputTopic('out', str, long).readKeyValuesToList().map((kv) => [kv.key, kv.value]);
    expect(out).to.deep.equal([['Oslo', 1], ['Oslo', 2], ['Oslo', 1], ['Rome', 1], ['Oslo', 0]]);
  });

  it('reduce takes the first added value as the aggregate and subtracts with the subtractor', async () => {
    const builder = new StreamsBuilder();
    builder
      .table('scores', { keySerde: str, valueSerde: int })
      .groupBy((player, score) => [player.slice(0, 1), score] as const, { keySerde: str, valueSerde: int })
      .reduce((a, b) => a + b, (a, b) => a - b, { materialized: { storeName: 'team' } })
      .toStream()
      .to('out', { valueSerde: int });
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('scores', str, int).pipeKeyValueList([['a1', 3], ['a2', 4], ['a1', 10], ['b1', 1]]);
    const out = driver.createOutputTopic('out', str, int).readKeyValuesToList().map((kv) => [kv.key, kv.value]);
    expect(out).to.deep.equal([['a', 3], ['a', 7], ['a', 14], ['b', 1]]);
  });

  it('selected pairs with a null key or value are left out', async () => {
    const builder = new StreamsBuilder();
    builder
      .table('t', { keySerde: str, valueSerde: str })
      .groupBy((k, v) => [v === 'none' ? (null as unknown as string) : v, k] as const, { keySerde: str, valueSerde: str })
      .count()
      .toStream()
      .to('out');
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('t', str, str).pipeKeyValueList([['a', 'x'], ['b', 'none'], ['a', 'none']]);
    const out = driver.createOutputTopic('out', str, long).readKeyValuesToList().map((kv) => [kv.key, kv.value]);
    expect(out).to.deep.equal([['x', 1], ['x', 0]]);
  });

  it('repartitions through a topic carrying old and new values, named after the store or the Grouped name', () => {
    const builder = new StreamsBuilder();
    const table = builder.table('t', { keySerde: str, valueSerde: str });
    table.groupBy((k, v) => [v, k] as const, { keySerde: str, valueSerde: str }).count({ materialized: { storeName: 'c' } });
    const named = table.groupBy((k, v) => [v, k] as const, { name: 'by-v', keySerde: str, valueSerde: str });
    named.count({ materialized: { storeName: 'c1' } });
    named.count({ materialized: { storeName: 'c2' } });
    const topology = builder.build();
    expect(topology.plan('app').repartitionTopics.map((t) => t.name)).to.deep.equal(['app-c-repartition', 'app-by-v-repartition']);
    expect(topology.describe().toString()).to.contain('Processor: by-v (stores: [])');
  });

  it('groupBy without serdes is a TypeError', () => {
    const table = new StreamsBuilder().table('t', { keySerde: str, valueSerde: str });
    expect(() => table.groupBy((k, v) => [v, k] as const, { keySerde: str })).to.throw(TypeError);
    expect(() => table.groupBy((k, v) => [v, k] as const, {} as never)).to.throw(TypeError);
  });
});
