import { expect } from 'chai';
import { partitionForKey } from '../../src/log/partitioner.js';
import type { KStream } from '../../src/dsl/k-stream.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const materialized = { storeName: 'latest', keySerde: str, valueSerde: str };
const sourceTopicsOf = (builder: StreamsBuilder) => builder.build().plan('app').subtopologies.map((s) => s.sourceTopics);

function declare(op: (s: KStream<string, string>) => KStream<string, string>) {
  const builder = new StreamsBuilder();
  op(builder.stream('in', { keySerde: str, valueSerde: str })).toTable({ materialized });
  return builder;
}

describe('DSL > Repartition', () => {
  for (const [name, op] of [
    ['map', (s: KStream<string, string>) => s.map((k, v) => [v, k])],
    ['selectKey', (s: KStream<string, string>) => s.selectKey((_k, v) => v)],
    ['flatMap', (s: KStream<string, string>) => s.flatMap((k, v) => [[v, k]])],
    ['process', (s: KStream<string, string>) => s.process<string, string>(() => ({ process: () => undefined }))],
    ['a key-changing operator followed by filter', (s: KStream<string, string>) => s.selectKey((_k, v) => v).filter(() => true)],
  ] as const) {
    it(`inserts a repartition topic before toTable after ${name}`, () => {
      const topics = sourceTopicsOf(declare(op));
      expect(topics).to.have.length(2);
      expect(topics[1]![0]).to.match(/^app-KSTREAM-TOTABLE-\d{10}-repartition$/);
    });
  }

  for (const [name, op] of [
    ['mapValues', (s: KStream<string, string>) => s.mapValues((v) => v)],
    ['filter', (s: KStream<string, string>) => s.filter(() => true)],
    ['flatMapValues', (s: KStream<string, string>) => s.flatMapValues((v) => [v])],
    ['processValues', (s: KStream<string, string>) => s.processValues<string>(() => ({ process: () => undefined }))],
    ['an explicit repartition', (s: KStream<string, string>) => s.selectKey((_k, v) => v).repartition({ keySerde: str })],
  ] as const) {
    it(`adds no automatic repartition before toTable after ${name}`, () => {
      const topics = sourceTopicsOf(declare((s) => op(s).mapValues((v) => v)));
      const automatic = topics.flat().filter((t) => t.includes('TOTABLE'));
      expect(automatic).to.deep.equal([]);
    });
  }

  it('names the topic and nodes after a user-given toTable name', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: str, valueSerde: str })
      .selectKey((_k, v) => v)
      .toTable({ named: 'by-value', materialized });
    const description = builder.build().describe().toString();
    expect(description).to.contain('Sink: by-value-repartition-sink (topic: by-value-repartition)');
    expect(description).to.contain('Source: by-value-repartition-source (topics: [by-value-repartition])');
    expect(description).to.contain('Processor: by-value-repartition-filter (stores: [])');
  });

  it('repartition() writes through <applicationId>-<name>-repartition with the requested partition count', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: str, valueSerde: str }).repartition({ name: 'rekeyed', partitions: 6 }).to('out');
    const plan = builder.build().plan('app');
    expect(plan.repartitionTopics).to.deep.equal([{ name: 'app-rekeyed-repartition', partitions: 6, writtenBy: [0], readBy: 1 }]);
  });

  it('delivers repartitioned records to the task that owns the new key and drops null keys', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: str, valueSerde: str })
      .selectKey((_k, v) => (v === 'none' ? (null as unknown as string) : v))
      .toTable({ materialized })
      .toStream()
      .process<string, string>(() => {
        let context: ProcessorContext<string, string>;
        return {
          init: (c) => void (context = c),
          process: (r) => context.forward({ ...r, value: `${r.value}@${context.taskId.partition}` }),
        };
      })
      .to('out', { keySerde: str, valueSerde: str });
    const driver = await TopologyTestDriver.create(builder.build(), { partitions: 5 });
    const input = driver.createInputTopic('in', str, str);
    const values = ['red', 'green', 'blue', 'none', 'red'];
    values.forEach((v, i) => input.pipeInput(`k${i}`, v));
    const out = driver.createOutputTopic('out', str, str).readKeyValuesToList();
    expect(out.map((kv) => kv.key)).to.deep.equal(['red', 'green', 'blue', 'red']);
    for (const kv of out) expect(kv.value).to.equal(`${kv.key}@${partitionForKey(Buffer.from(kv.key!), 5)}`);
  });
});
