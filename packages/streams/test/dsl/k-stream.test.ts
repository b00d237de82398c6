import { expect } from 'chai';
import { Branched } from '../../src/dsl/branched.js';
import type { KStream } from '../../src/dsl/k-stream.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import { keyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import type { TypedKeyValueStore } from '../../src/state/typed/typed-key-value-store.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { Serde } from '../../src/serde/types.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();
type Pair = readonly [string, number];

/** Builds `declare(stream of 'in')`, pipes `input` (timestamps 0, 1, ...) and returns the driver. */
async function run(declare: (builder: StreamsBuilder, input: KStream<string, number>) => void, input: Pair[]) {
  const builder = new StreamsBuilder();
  declare(builder, builder.stream('in', { keySerde: str, valueSerde: int }));
  const driver = await TopologyTestDriver.create(builder.build());
  const topic = driver.createInputTopic('in', str, int);
  input.forEach(([k, v], i) => topic.pipeInput(k, v, i));
  return driver;
}

const read = (driver: TopologyTestDriver, topic: string, valueSerde: Serde<unknown> = int as Serde<unknown>) =>
  driver.createOutputTopic(topic, str, valueSerde).readKeyValuesToList().map((kv) => [kv.key, kv.value]);

const INPUT: Pair[] = [['a', 1], ['b', 2], ['c', 3], ['a', 4]];

describe('DSL > KStream', () => {
  it('filter keeps the records the predicate accepts and filterNot the others', async () => {
    const driver = await run((_, s) => {
      s.filter((_k, v) => v % 2 === 0).to('even');
      s.filterNot((_k, v) => v % 2 === 0).to('odd');
    }, INPUT);
    expect(read(driver, 'even')).to.deep.equal([['b', 2], ['a', 4]]);
    expect(read(driver, 'odd')).to.deep.equal([['a', 1], ['c', 3]]);
  });

  it('map replaces key and value; selectKey only the key', async () => {
    const driver = await run((_, s) => {
      s.map((k, v) => [`${k}${v}`, v * 10]).to('mapped', { keySerde: str, valueSerde: int });
      s.selectKey((k, v) => `${v}-${k}`).to('rekeyed', { keySerde: str });
    }, INPUT.slice(0, 2));
    expect(read(driver, 'mapped')).to.deep.equal([['a1', 10], ['b2', 20]]);
    expect(read(driver, 'rekeyed')).to.deep.equal([['1-a', 1], ['2-b', 2]]);
  });

  it('mapValues sees value and key; flatMapValues and flatMap emit zero or more records with the input timestamp', async () => {
    const driver = await run((_, s) => {
      s.mapValues((v, k) => `${k}:${v}`).to('mv', { valueSerde: str });
      s.flatMapValues((v) => Array.from({ length: v - 1 }, (_x, i) => i)).to('fmv', { valueSerde: int });
      s.flatMap((k, v) => (v > 1 ? [[k.toUpperCase(), v] as const, [k, -v] as const] : [])).to('fm', { keySerde: str, valueSerde: int });
    }, INPUT.slice(0, 3));
    expect(read(driver, 'mv', str as Serde<unknown>)).to.deep.equal([['a', 'a:1'], ['b', 'b:2'], ['c', 'c:3']]);
    expect(read(driver, 'fmv')).to.deep.equal([['b', 0], ['c', 0], ['c', 1]]);
    expect(driver.createOutputTopic('fm', str, int).readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).to.deep.equal([
      ['B', 2, 1],
      ['b', -2, 1],
      ['C', 3, 2],
      ['c', -3, 2],
    ]);
  });

  it('peek passes records on after the action, foreach only calls the action', async () => {
    const peeked: string[] = [];
    const each: string[] = [];
    const driver = await run((_, s) => {
      s.peek((k, v) => void peeked.push(`${k}${v}`)).to('out');
      s.foreach((k) => void each.push(k));
    }, INPUT);
    expect(peeked).to.deep.equal(['a1', 'b2', 'c3', 'a4']);
    expect(each).to.deep.equal(['a', 'b', 'c', 'a']);
    expect(read(driver, 'out')).to.deep.equal(INPUT);
  });

  describe('split', () => {
    it('sends each record to the first matching branch, else to the default branch', async () => {
      let branches: Record<string, KStream<string, number>> = {};
      const driver = await run((_, s) => {
        branches = s
          .split({ named: 'route-' })
          .branch((_k, v) => v > 2, Branched.as('big'))
          .branch((_k, v) => v > 1, Branched.as('mid'))
          .defaultBranch(Branched.as('small'));
        for (const [name, branch] of Object.entries(branches)) branch.to(name);
      }, INPUT);
      expect(Object.keys(branches)).to.deep.equal(['route-big', 'route-mid', 'route-small']);
      expect(read(driver, 'route-big')).to.deep.equal([['c', 3], ['a', 4]]);
      expect(read(driver, 'route-mid')).to.deep.equal([['b', 2]]);
      expect(read(driver, 'route-small')).to.deep.equal([['a', 1]]);
    });

    it('drops unmatched records without a default branch and names unnamed branches by position', async () => {
      let keys: string[] = [];
      const driver = await run((_, s) => {
        const branches = s.split().branch((_k, v) => v === 1).branch((_k, v) => v === 2).noDefaultBranch();
        keys = Object.keys(branches);
        branches[keys[1]!]!.to('two');
      }, INPUT);
      expect(keys).to.deep.equal(['KSTREAM-BRANCH-00000000011', 'KSTREAM-BRANCH-00000000012']);
      expect(read(driver, 'two')).to.deep.equal([['b', 2]]);
    });

    it('puts a chained branch in the map and leaves a consumed branch out', async () => {
      let keys: string[] = [];
      const driver = await run((_, s) => {
        const branches = s
          .split({ named: 's-' })
          .branch((_k, v) => v === 1, Branched.withFunction((b) => b.mapValues((v) => v * 100), 'f'))
          .branch((_k, v) => v === 2, Branched.withConsumer((b) => b.to('consumed'), 'c'))
          .noDefaultBranch();
        keys = Object.keys(branches);
        branches['s-f']!.to('chained', { valueSerde: int });
      }, INPUT);
      expect(keys).to.deep.equal(['s-f']);
      expect(read(driver, 'chained')).to.deep.equal([['a', 100]]);
      expect(read(driver, 'consumed')).to.deep.equal([['b', 2]]);
    });

    it('refuses new branches once finished', async () => {
      const builder = new StreamsBuilder();
      const split = builder.stream('in', { keySerde: str, valueSerde: int }).split();
      split.noDefaultBranch();
      expect(() => split.branch(() => true)).to.throw(TypeError);
    });
  });

  it('merge interleaves two streams, keeping each input in order', async () => {
    const builder = new StreamsBuilder();
    const a = builder.stream('a', { keySerde: str, valueSerde: int });
    const b = builder.stream('b', { keySerde: str, valueSerde: int });
    a.merge(b.mapValues((v) => -v)).to('out', { valueSerde: int });
    const driver = await TopologyTestDriver.create(builder.build());
    const ta = driver.createInputTopic('a', str, int);
    const tb = driver.createInputTopic('b', str, int);
    ta.pipeInput('x', 1);
    tb.pipeInput('y', 1);
    ta.pipeInput('x', 2);
    expect(read(driver, 'out')).to.deep.equal([['x', 1], ['y', -1], ['x', 2]]);
  });

  it('to routes by a topic extractor and applies a custom partitioner', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: str, valueSerde: int })
      .to((r) => (r.value % 2 === 0 ? 'even' : 'odd'), { partitioner: (r, _t, n) => r.value % n });
    const driver = await TopologyTestDriver.create(builder.build(), { partitions: 3 });
    const input = driver.createInputTopic('in', str, int);
    for (const v of [1, 2, 3, 4, 5]) input.pipeInput('k', v);
    expect(driver.readTopic('odd').map((r) => [int.deserialize(r.value!), r.partition])).to.deep.equal([[1, 1], [3, 0], [5, 2]]);
    expect(driver.readTopic('even').map((r) => [int.deserialize(r.value!), r.partition])).to.deep.equal([[2, 2], [4, 1]]);
  });

  it('to needs serdes once an operator changed the type', () => {
    const builder = new StreamsBuilder();
    const stream = builder.stream('in', { keySerde: str, valueSerde: int }).mapValues(String);
    expect(() => stream.to('out')).to.throw(TypeError);
    expect(() => stream.to('out', { valueSerde: str })).not.to.throw();
  });

  it('process runs a Processor API processor with a store added to the builder', async () => {
    const driver = await run((builder, s) => {
      builder.addStateStore(keyValueStoreBuilder({ name: 'sums', keySerde: str, valueSerde: int }));
      s.process<string, number>(
        () => {
          let context: ProcessorContext<string, number>;
          let sums: TypedKeyValueStore<string, number>;
          return {
            init: (c) => {
              context = c;
              sums = c.getStateStore('sums');
            },
            process: (r) => {
              const sum = (sums.get(r.key) ?? 0) + r.value;
              sums.put(r.key, sum);
              context.forward({ ...r, value: sum });
            },
          };
        },
        { named: 'summer', stores: ['sums'] },
      ).to('sums', { keySerde: str, valueSerde: int });
    }, INPUT);
    expect(read(driver, 'sums')).to.deep.equal([['a', 1], ['b', 2], ['c', 3], ['a', 5]]);
    expect(driver.getKeyValueStore<string, number>('sums').get('a')).to.equal(5);
  });

  it('processValues keeps the input key even when the processor forwards another', async () => {
    const driver = await run((_, s) => {
      s.processValues<string>(() => {
        let context: ProcessorContext<string, string>;
        return {
          init: (c) => void (context = c),
          process: (r) => context.forward({ ...r, key: 'changed', value: `v${r.value}` }),
        };
      }).to('out', { valueSerde: str });
    }, INPUT.slice(0, 2));
    expect(read(driver, 'out', str as Serde<unknown>)).to.deep.equal([['a', 'v1'], ['b', 'v2']]);
  });

  it('rejects a non-function argument at the operator call', () => {
    const stream = new StreamsBuilder().stream('in', { keySerde: str, valueSerde: int });
    expect(() => stream.filter(42 as never)).to.throw(TypeError);
    expect(() => stream.mapValues(undefined as never)).to.throw(TypeError);
  });
});

describe('Streams > DSL > KStream > process with a supplier that owns its stores', () => {
  it('adds each store of supplier.stores() once and connects it to the processor', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: str, valueSerde: str })
      .process<string, number>({
        stores: () => [keyValueStoreBuilder({ name: 'seen', keySerde: str, valueSerde: int, persistent: false })],
        get: () => {
          let context!: ProcessorContext<string, number>;
          let seen!: TypedKeyValueStore<string, number>;
          return {
            init(c: ProcessorContext<string, number>) {
              context = c;
              seen = c.getStateStore('seen');
            },
            process(record) {
              const count = (seen.get(record.key) ?? 0) + 1;
              seen.put(record.key, count);
              context.forward({ ...record, value: count });
            },
          };
        },
      })
      .to('out', { keySerde: str, valueSerde: int });
    const driver = await TopologyTestDriver.create(builder.build());
    const input = driver.createInputTopic('in', str, str);
    input.pipeInput('a', 'x', 1);
    input.pipeInput('a', 'y', 2);
    expect(driver.createOutputTopic('out', str, int).readValuesToList()).to.deep.equal([1, 2]);
    await driver.close();
  });
});
