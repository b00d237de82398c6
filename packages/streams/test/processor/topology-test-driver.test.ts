import { expect } from 'chai';
import { partitionForKey } from '../../src/log/partitioner.js';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import { keyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import type { TypedKeyValueStore } from '../../src/state/typed/typed-key-value-store.js';
import { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();

/**
 * in -> tag (value := "<key>@<partition>") -> sink by-value-repartition (internal, keyed by value)
 * by-value-repartition -> count (store 'counts', per key) -> out
 */
function pipeline(): Topology {
  return new Topology()
    .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
    .addProcessor<string, string, string, string>(
      'rekey',
      () => {
        let context: ProcessorContext<string, string>;
        return { init: (c) => void (context = c), process: (r) => context.forward({ ...r, key: r.value, value: r.key }) };
      },
      'src',
    )
    .addInternalTopic('by-value-repartition')
    .addSink({ name: 'rs', topic: 'by-value-repartition', keySerde: str, valueSerde: str }, 'rekey')
    .addSource({ name: 'rsrc', topics: 'by-value-repartition', keySerde: str, valueSerde: str })
    .addProcessor<string, string, string, string>(
      'count',
      () => {
        let context: ProcessorContext<string, string>;
        let store: TypedKeyValueStore<string, number>;
        return {
          init: (c) => {
            context = c;
            store = c.getStateStore('counts');
          },
          process: (r) => {
            const n = (store.get(r.key) ?? 0) + 1;
            store.put(r.key, n);
            context.forward({ ...r, value: `${n}@${context.recordMetadata()!.partition}` });
          },
        };
      },
      'rsrc',
    )
    .addStateStore(keyValueStoreBuilder({ name: 'counts', keySerde: str, valueSerde: int }), 'count')
    .addSink({ name: 'out', topic: 'out', keySerde: str, valueSerde: str }, 'count');
}

const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);

describe('Testing > TopologyTestDriver', () => {
  it('routes keyed records with murmur2 and feeds repartition topics back to the task of the new key, in order', async () => {
    const driver = await TopologyTestDriver.create(pipeline(), { partitions: 4, applicationId: 'app' });
    const input = driver.createInputTopic('in', str, str);
    for (const k of keys) input.pipeInput(k, `v${k.length % 3}`);
    const out = driver.createOutputTopic('out', str, str).readKeyValuesToList();
    expect(out.map((kv) => kv.key)).to.deep.equal(keys.map((k) => `v${k.length % 3}`));
    for (const kv of out) expect(kv.value!.split('@')[1]).to.equal(String(partitionForKey(Buffer.from(kv.key!), 4)));
    const repartitioned = driver.readTopic('app-by-value-repartition');
    expect(repartitioned.map((r) => r.partition)).to.deep.equal(repartitioned.map((r) => partitionForKey(r.key!, 4)));
    expect(driver.readTopic('in').map((r) => r.partition)).to.deep.equal(keys.map((k) => partitionForKey(Buffer.from(k), 4)));
  });

  it('spreads null-key records round-robin over the partitions', async () => {
    const topology = new Topology()
      .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
      .addSink({ name: 'out', topic: 'out', keySerde: str, valueSerde: str }, 'src');
    const driver = await TopologyTestDriver.create(topology, { partitions: 3 });
    const input = driver.createInputTopic('in', str, str);
    for (let i = 0; i < 5; i++) input.pipeInput(null, String(i));
    expect(driver.readTopic('in').map((r) => r.partition)).to.deep.equal([0, 1, 2, 0, 1]);
  });

  it('reads output topics once per reader, as lists, maps and single records', async () => {
    const topology = new Topology()
      .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
      .addSink({ name: 'out', topic: 'out', keySerde: str, valueSerde: str }, 'src');
    const driver = await TopologyTestDriver.create(topology);
    const input = driver.createInputTopic('in', str, str, { startTimestampMs: 100, autoAdvanceMs: 10 });
    input.pipeKeyValueList([['a', '1'], ['b', '2'], ['a', '3'], ['b', null]]);
    const out = driver.createOutputTopic('out', str, str);
    expect(out.getQueueSize()).to.equal(4);
    expect(out.readRecord()).to.include({ key: 'a', value: '1', timestamp: 100, topic: 'out', partition: 0 });
    expect(out.readKeyValuesToMap()).to.deep.equal(new Map([['a', '3']]));
    expect(out.isEmpty()).to.equal(true);
    expect(out.readRecord()).to.equal(undefined);
    expect(driver.createOutputTopic('out', str, str).readRecordsToList().map((r) => r.timestamp)).to.deep.equal([100, 110, 120, 130]);
  });

  it('refuses an input topic the topology does not read', async () => {
    const driver = await TopologyTestDriver.create(pipeline());
    expect(() => driver.createInputTopic('nope', str, str)).to.throw(TypeError);
    expect(() => driver.getKeyValueStore('nope')).to.throw(TypeError);
  });

  describe('crash', () => {
    async function runWithCrash(phase: 'before-flush' | 'after-flush') {
      const driver = await TopologyTestDriver.create(pipeline(), { partitions: 3, autoCommit: false, applicationId: 'app' });
      const input = driver.createInputTopic('in', str, str);
      for (const k of keys.slice(0, 6)) input.pipeInput(k, 'x');
      driver.commit();
      for (const k of keys.slice(6)) input.pipeInput(k, 'x');
      await driver.crash({ phase });
      return driver;
    }

    it("before-flush: drops what was written since the commit, restores stores from the changelog and replays", async () => {
      const driver = await runWithCrash('before-flush');
      expect(driver.getKeyValueStore<string, number>('counts').get('x')).to.equal(12);
      const values = driver.createOutputTopic('out', str, str).readValuesToList().map((v) => Number(v!.split('@')[0]));
      expect(values).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(driver.readTopic('app-counts-changelog')).to.have.length(12);
    });

    it('after-flush: keeps what was written, so replay duplicates outputs and double-counts restored state (at-least-once)', async () => {
      const driver = await runWithCrash('after-flush');
      // The 6 uncommitted inputs count three times: before the crash, when their uncommitted
      // repartition records are read again, and when replaying the input regenerates those records.
      expect(driver.getKeyValueStore<string, number>('counts').get('x')).to.equal(24);
      expect(driver.createOutputTopic('out', str, str).getQueueSize()).to.equal(24);
      expect(driver.readTopic('app-by-value-repartition')).to.have.length(18);
    });

    it('rebuilds every partition of a store from its changelog when nothing was uncommitted', async () => {
      const driver = await TopologyTestDriver.create(pipeline(), { partitions: 4 });
      const input = driver.createInputTopic('in', str, str);
      for (const k of keys) input.pipeInput(k, k);
      const before = await collect(driver);
      await driver.crash({ phase: 'before-flush' });
      expect(await collect(driver)).to.deep.equal(before);
      expect(before).to.have.length(12);
      input.pipeInput('key-0', 'key-0');
      expect(driver.getKeyValueStore<string, number>('counts').get('key-0')).to.equal(2);
    });

    it('rejects an unknown phase with a TypeError', async () => {
      const driver = await TopologyTestDriver.create(pipeline());
      const err = await driver.crash({ phase: 'later' as never }).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(TypeError);
    });
  });

  it('closes every task and refuses work afterwards', async () => {
    const driver = await TopologyTestDriver.create(pipeline());
    const input = driver.createInputTopic('in', str, str);
    await driver.close();
    expect(() => input.pipeInput('a', 'b')).to.throw(TypeError);
  });
});

async function collect(driver: TopologyTestDriver): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for await (const kv of driver.getKeyValueStore<string, number>('counts').all()) out.push([kv.key, kv.value]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
