import { expect } from 'chai';
import type { KTable } from '../../src/dsl/k-table.js';
import type { KTableImpl } from '../../src/dsl/internals/k-table-impl.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();
type Update = readonly [string, number | null];

async function run(declare: (table: KTable<string, number>, builder: StreamsBuilder) => void, updates: Update[]) {
  const builder = new StreamsBuilder();
  declare(builder.table('prices', { keySerde: str, valueSerde: int, materialized: { storeName: 'prices-store' } }), builder);
  const driver = await TopologyTestDriver.create(builder.build());
  const input = driver.createInputTopic('prices', str, int);
  updates.forEach(([k, v], i) => input.pipeInput(k, v, 100 + i));
  return driver;
}

const out = (driver: TopologyTestDriver, topic = 'out') =>
  driver.createOutputTopic(topic, str, int).readKeyValuesToList().map((kv) => [kv.key, kv.value]);

describe('DSL > KTable', () => {
  it('table keeps the latest value per key, deletes on tombstones and skips null keys', async () => {
    const driver = await run((t) => t.toStream().to('out'), [['a', 1], ['b', 2], ['a', 3], ['b', null], [null as never, 9]]);
    expect(out(driver)).to.deep.equal([['a', 1], ['b', 2], ['a', 3], ['b', null]]);
    const store = driver.getTimestampedKeyValueStore<string, number>('prices-store');
    expect(store.get('a')).to.deep.equal({ value: 3, timestamp: 102 });
    expect(store.get('b')).to.equal(undefined);
    expect(driver.readTopic('test-app-prices-store-changelog')).to.have.length(4);
  });

  it('filter forwards a tombstone when a key stops matching and nothing while it never matched', async () => {
    const driver = await run(
      (t) => t.filter((_k, v) => v >= 10).toStream().to('out'),
      [['a', 5], ['a', 12], ['a', 15], ['a', 7], ['a', 3], ['b', 20], ['b', null]],
    );
    expect(out(driver)).to.deep.equal([['a', 12], ['a', 15], ['a', null], ['b', 20], ['b', null]]);
  });

  it('filterNot is the complement of filter', async () => {
    const driver = await run((t) => t.filterNot((_k, v) => v >= 10).toStream().to('out'), [['a', 5], ['a', 12]]);
    expect(out(driver)).to.deep.equal([['a', 5], ['a', null]]);
  });

  it('mapValues maps new values and turns deletions into tombstones', async () => {
    const driver = await run(
      (t) => t.mapValues((v, k) => `${k}=${v}`).toStream().to('out', { valueSerde: str }),
      [['a', 1], ['a', 2], ['a', null]],
    );
    const values = driver.createOutputTopic('out', str, str).readKeyValuesToList().map((kv) => kv.value);
    expect(values).to.deep.equal(['a=1', 'a=2', null]);
  });

  it('a materialized filter or mapValues keeps its own queryable store', async () => {
    let filtered: KTable<string, number> | undefined;
    let mapped: KTable<string, string> | undefined;
    const driver = await run((t) => {
      filtered = t.filter((_k, v) => v > 1, { materialized: { storeName: 'big' } });
      mapped = t.mapValues((v) => `#${v}`, { materialized: { storeName: 'labels', valueSerde: str } });
    }, [['a', 1], ['b', 2], ['b', 0]]);
    expect(filtered!.queryableStoreName).to.equal('big');
    expect(mapped!.queryableStoreName).to.equal('labels');
    expect(driver.getKeyValueStore<string, number>('big').get('b')).to.equal(undefined);
    expect(driver.getKeyValueStore<string, string>('labels').get('b')).to.equal('#0');
    expect(driver.getKeyValueStore<string, string>('labels').get('a')).to.equal('#1');
  });

  it('materializing mapValues without a value serde is a TypeError', () => {
    const table = new StreamsBuilder().table('t', { keySerde: str, valueSerde: int });
    expect(() => table.mapValues(String, { materialized: { storeName: 'x' } })).to.throw(TypeError);
  });

  it('toTable turns a stream of upserts into a table', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: str, valueSerde: int })
      .toTable({ materialized: { storeName: 'latest' } })
      .toStream()
      .to('out');
    const driver = await TopologyTestDriver.create(builder.build());
    const input = driver.createInputTopic('in', str, int);
    input.pipeKeyValueList([['a', 1], ['a', 2], ['a', null]]);
    expect(out(driver)).to.deep.equal([['a', 1], ['a', 2], ['a', null]]);
    expect(driver.getKeyValueStore('latest').get('a')).to.equal(undefined);
  });

  describe('value getters', () => {
    /** A stream-table lookup built on the internal value getter, as a stream-table join will be. */
    async function lookup<TValue>(declare: (t: KTable<string, number>) => KTable<string, TValue>) {
      const builder = new StreamsBuilder();
      const table = declare(builder.table('prices', { keySerde: str, valueSerde: int })) as KTableImpl<string, TValue>;
      const getters = table.valueGetterSupplier;
      builder
        .stream('orders', { keySerde: str, valueSerde: str })
        .process<string, string>(
          () => {
            const getter = getters.get();
            let context: ProcessorContext<string, string>;
            return {
              init: (c) => {
                context = c;
                getter.init(c as ProcessorContext<unknown, unknown>);
              },
              process: (r) => context.forward({ ...r, value: JSON.stringify(getter.get(r.key)?.value ?? null) }),
            };
          },
          { stores: getters.storeNames() },
        )
        .to('out', { keySerde: str, valueSerde: str });
      const driver = await TopologyTestDriver.create(builder.build());
      const prices = driver.createInputTopic('prices', str, int);
      const orders = driver.createInputTopic('orders', str, str);
      prices.pipeKeyValueList([['a', 5], ['b', 20]]);
      orders.pipeKeyValueList([['a', '?'], ['b', '?'], ['c', '?']]);
      return driver.createOutputTopic('out', str, str).readValuesToList();
    }

    it('reads a table source through its store', async () => {
      expect(await lookup((t) => t)).to.deep.equal(['5', '20', 'null']);
    });

    it('applies an unmaterialized filter and mapValues on read', async () => {
      expect(await lookup((t) => t.filter((_k, v) => v > 10))).to.deep.equal(['null', '20', 'null']);
      expect(await lookup((t) => t.mapValues((v) => v * 2).filterNot((_k, v) => v > 30))).to.deep.equal(['10', 'null', 'null']);
    });

    it('reads a materialized operator from its own store', async () => {
      expect(await lookup((t) => t.mapValues((v) => `p${v}`, { materialized: { storeName: 'm', valueSerde: str } }))).to.deep.equal([
        '"p5"',
        '"p20"',
        'null',
      ]);
    });
  });
});
