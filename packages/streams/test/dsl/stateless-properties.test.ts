import { expect } from 'chai';
import fc from 'fast-check';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();
const records = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: -1000, max: 1000 })), { maxLength: 40 });

describe('DSL > Stateless operators (properties)', () => {
  it('filter → mapValues → flatMapValues equals the same array computation, in order', async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), async (input, divisor, copies) => {
        const builder = new StreamsBuilder();
        builder
          .stream('in', { keySerde: str, valueSerde: int })
          .filter((_k, v) => v % divisor === 0)
          .mapValues((v, k) => `${k}${v * 2}`)
          .flatMapValues((v) => Array.from({ length: copies }, (_x, i) => `${v}/${i}`))
          .to('out', { valueSerde: str });
        const driver = await TopologyTestDriver.create(builder.build());
        const topic = driver.createInputTopic('in', str, int);
        for (const [k, v] of input) topic.pipeInput(k, v);
        const expected = input
          .filter(([, v]) => v % divisor === 0)
          .map(([k, v]) => [k, `${k}${v * 2}`] as const)
          .flatMap(([k, v]) => Array.from({ length: copies }, (_x, i) => ({ key: k, value: `${v}/${i}` })));
        expect(driver.createOutputTopic('out', str, str).readKeyValuesToList()).to.deep.equal(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('split sends every record to exactly one branch (or the default), and merging the branches gives the input back', async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.integer({ min: -500, max: 500 }), async (input, threshold) => {
        const builder = new StreamsBuilder();
        const branches = builder
          .stream('in', { keySerde: str, valueSerde: int })
          .split({ named: 'b-' })
          .branch((_k, v) => v > threshold)
          .branch((_k, v) => v > threshold - 100)
          .defaultBranch();
        const [first, second, rest] = [branches['b-1']!, branches['b-2']!, branches['b-0']!];
        first.to('one');
        second.to('two');
        rest.to('rest');
        first.merge(second).merge(rest).to('all');
        const driver = await TopologyTestDriver.create(builder.build());
        const topic = driver.createInputTopic('in', str, int);
        for (const [k, v] of input) topic.pipeInput(k, v);
        const read = (t: string) => driver.createOutputTopic(t, str, int).readKeyValuesToList().map((kv) => [kv.key, kv.value]);
        expect(read('one')).to.deep.equal(input.filter(([, v]) => v > threshold));
        expect(read('two')).to.deep.equal(input.filter(([, v]) => v <= threshold && v > threshold - 100));
        expect(read('rest')).to.deep.equal(input.filter(([, v]) => v <= threshold - 100));
        expect(read('all')).to.deep.equal(input);
      }),
      { numRuns: 60 },
    );
  });

  it('map and selectKey results do not depend on the number of partitions', async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.integer({ min: 1, max: 6 }), async (input, partitions) => {
        const builder = new StreamsBuilder();
        builder
          .stream('in', { keySerde: str, valueSerde: int })
          .map((k, v) => [`${k}${Math.abs(v) % 3}`, v + 1])
          .selectKey((k) => k.toUpperCase())
          .to('out', { keySerde: str, valueSerde: int });
        const driver = await TopologyTestDriver.create(builder.build(), { partitions });
        const topic = driver.createInputTopic('in', str, int);
        for (const [k, v] of input) topic.pipeInput(k, v);
        const expected = input.map(([k, v]) => ({ key: `${k}${Math.abs(v) % 3}`.toUpperCase(), value: v + 1 }));
        expect(driver.createOutputTopic('out', str, int).readKeyValuesToList()).to.deep.equal(expected);
      }),
      { numRuns: 40 },
    );
  });
});
