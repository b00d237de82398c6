import { expect } from 'chai';
import type { RecordMetadata } from '../../src/log/types.js';
import type { Cancellable, ProcessorContext, PunctuationType } from '../../src/processor/processor-context.js';
import { keyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import type { TypedKeyValueStore } from '../../src/state/typed/typed-key-value-store.js';
import { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';
import { globalNamesTopology } from '../helpers/global-names-topology.js';

const str = Serdes.string();
const int = Serdes.int32();

/** A topology whose one processor schedules a punctuator that forwards (type, time) to 'ticks'. */
function punctuating(type: PunctuationType, intervalMs: number, cancelAfter = Infinity): Topology {
  return new Topology()
    .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
    .addProcessor<string, string, string, number>(
      'p',
      () => {
        let fired = 0;
        let handle: Cancellable;
        return {
          init: (context) => {
            handle = context.schedule(intervalMs, type, (time) => {
              context.forward({ key: type, value: time, timestamp: time, headers: {} });
              if (++fired >= cancelAfter) handle.cancel();
            });
          },
          process: () => undefined,
        };
      },
      'src',
    )
    .addSink({ name: 'ticks', topic: 'ticks', keySerde: str, valueSerde: int }, 'p');
}

describe('Processor > Processor API', () => {
  describe('punctuation', () => {
    it('fires stream-time punctuators from record timestamps, aligned to the interval, with catch-up after gaps', async () => {
      const driver = await TopologyTestDriver.create(punctuating('stream-time', 10));
      const input = driver.createInputTopic('in', str, str);
      const ticks = driver.createOutputTopic('ticks', str, int);
      for (const ts of [3, 5, 9, 10, 12, 45, 46, 50]) input.pipeInput('k', 'v', ts);
      // First record fires at once (schedule aligned to 0); then at 10; the gap to 45 fires once; then 50.
      expect(ticks.readValuesToList()).to.deep.equal([3, 10, 45, 50]);
    });

    it('does not fire stream-time punctuators when wall-clock time moves', async () => {
      const driver = await TopologyTestDriver.create(punctuating('stream-time', 10));
      driver.advanceWallClockTime(1_000);
      expect(driver.createOutputTopic('ticks', str, int).isEmpty()).to.equal(true);
    });

    it('fires wall-clock punctuators one interval after scheduling and then every interval', async () => {
      const driver = await TopologyTestDriver.create(punctuating('wall-clock', 100), { startTimeMs: 1_000 });
      const ticks = driver.createOutputTopic('ticks', str, int);
      driver.advanceWallClockTime(99);
      expect(ticks.isEmpty()).to.equal(true);
      driver.advanceWallClockTime(1);
      driver.advanceWallClockTime(150);
      driver.advanceWallClockTime(50);
      expect(ticks.readValuesToList()).to.deep.equal([1_100, 1_250, 1_300]);
    });

    it('stops a punctuator that is cancelled, even from inside itself', async () => {
      const driver = await TopologyTestDriver.create(punctuating('wall-clock', 10, 2));
      for (let i = 0; i < 5; i++) driver.advanceWallClockTime(10);
      expect(driver.createOutputTopic('ticks', str, int).readValuesToList()).to.deep.equal([10, 20]);
    });

    it('rejects a non-positive interval with a RangeError wrapped as STREAMS_PROCESSING_FAILED', async () => {
      const topology = new Topology()
        .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
        .addProcessor('p', () => ({ init: (c: ProcessorContext) => void c.schedule(0, 'wall-clock', () => undefined), process: () => undefined }), 'src');
      const err = await TopologyTestDriver.create(topology).then(() => undefined, (e: { code: string; cause: unknown }) => e);
      expect(err?.code).to.equal('STREAMS_PROCESSING_FAILED');
      expect(err?.cause).to.be.instanceOf(RangeError);
    });
  });

  describe('forwarding', () => {
    it('forwards to one named child only, or to all children', async () => {
      const topology = new Topology()
        .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
        .addProcessor<string, string, string, string>(
          'router',
          () => {
            let context: ProcessorContext<string, string>;
            return {
              init: (c) => void (context = c),
              process: (r) => (r.value === 'all' ? context.forward(r) : context.forward(r, `to-${r.value}`)),
            };
          },
          'src',
        )
        .addSink({ name: 'to-a', topic: 'a', keySerde: str, valueSerde: str }, 'router')
        .addSink({ name: 'to-b', topic: 'b', keySerde: str, valueSerde: str }, 'router');
      const driver = await TopologyTestDriver.create(topology);
      const input = driver.createInputTopic('in', str, str);
      input.pipeKeyValueList([['1', 'a'], ['2', 'b'], ['3', 'all']]);
      expect(driver.createOutputTopic('a', str, str).readKeyValuesToList().map((kv) => kv.key)).to.deep.equal(['1', '3']);
      expect(driver.createOutputTopic('b', str, str).readKeyValuesToList().map((kv) => kv.key)).to.deep.equal(['2', '3']);
      expect(() => input.pipeInput('4', 'c')).to.throw().with.property('code', 'STREAMS_PROCESSING_FAILED');
    });

    it('exposes the input record metadata while processing and null while punctuating', async () => {
      const seen: (RecordMetadata | null)[] = [];
      const topology = new Topology()
        .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
        .addProcessor(
          'p',
          () => {
            let context: ProcessorContext;
            return {
              init: (c: ProcessorContext) => {
                context = c;
                c.schedule(5, 'wall-clock', () => void seen.push(c.recordMetadata()));
              },
              process: () => void seen.push(context.recordMetadata()),
            };
          },
          'src',
        );
      const driver = await TopologyTestDriver.create(topology);
      const input = driver.createInputTopic('in', str, str);
      input.pipeInput('a', 'x');
      input.pipeInput('b', 'x');
      driver.advanceWallClockTime(5);
      expect(seen).to.deep.equal([{ topic: 'in', partition: 0, offset: 0 }, { topic: 'in', partition: 0, offset: 1 }, null]);
    });
  });

  describe('stores', () => {
    it('refuses a store the processor is not connected to', async () => {
      const topology = new Topology()
        .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
        .addProcessor('reader', () => ({ init: (c: ProcessorContext) => void c.getStateStore('other'), process: () => undefined }), 'src')
        .addProcessor('owner', () => ({ process: () => undefined }), 'src')
        .addStateStore(keyValueStoreBuilder({ name: 'other', keySerde: str, valueSerde: str }), 'owner');
      const err = await TopologyTestDriver.create(topology).then(() => undefined, (e: { code: string; cause: unknown }) => e);
      expect(err?.code).to.equal('STREAMS_PROCESSING_FAILED');
      expect(err?.cause).to.be.instanceOf(TypeError);
    });

    it('lets every processor read a global store filled from its own topic', async () => {
      const topology = globalNamesTopology()
        .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
        .addProcessor<string, string, string, string>(
          'lookup',
          () => {
            let context: ProcessorContext<string, string>;
            let names: TypedKeyValueStore<string, string>;
            return {
              init: (c) => {
                context = c;
                names = c.getStateStore('names');
              },
              process: (r) => context.forward({ ...r, value: names.get(r.value) ?? '?' }),
            };
          },
          'src',
        )
        .addSink({ name: 'out', topic: 'out', keySerde: str, valueSerde: str }, 'lookup');
      const driver = await TopologyTestDriver.create(topology, { partitions: 3 });
      driver.createInputTopic('names', str, str).pipeKeyValueList([['u1', 'Ada'], ['u2', 'Bob']]);
      const input = driver.createInputTopic('in', str, str);
      for (const [k, v] of [['m1', 'u1'], ['m2', 'u2'], ['m3', 'u3']] as const) input.pipeInput(k, v);
      expect(driver.createOutputTopic('out', str, str).readKeyValuesToMap()).to.deep.equal(
        new Map([['m1', 'Ada'], ['m2', 'Bob'], ['m3', '?']]),
      );
      expect(driver.getKeyValueStore<string, string>('names').get('u2')).to.equal('Bob');
    });
  });

  describe('async processors', () => {
    const asyncTopology = () =>
      new Topology()
        .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
        .addProcessor<string, string, string, string>(
          'slow',
          () => {
            let context: ProcessorContext<string, string>;
            return {
              init: (c) => void (context = c),
              process: async (r) => {
                await new Promise((resolve) => setTimeout(resolve, 1));
                context.forward({ ...r, value: r.value.toUpperCase() });
              },
            };
          },
          'src',
        )
        .addSink({ name: 'out', topic: 'out', keySerde: str, valueSerde: str }, 'slow');

    it('processes records of async processors in order with pipeInputAsync', async () => {
      const driver = await TopologyTestDriver.create(asyncTopology());
      const input = driver.createInputTopic('in', str, str);
      await input.pipeRecordListAsync([{ key: 'a', value: 'x' }, { key: 'b', value: 'y' }]);
      expect(driver.createOutputTopic('out', str, str).readValuesToList()).to.deep.equal(['X', 'Y']);
    });

    it('throws a TypeError from the synchronous pipeInput when a processor returns a promise', async () => {
      const driver = await TopologyTestDriver.create(asyncTopology());
      expect(() => driver.createInputTopic('in', str, str).pipeInput('a', 'x')).to.throw(TypeError);
      expect(() => driver.commit()).to.throw(TypeError);
    });
  });
});
