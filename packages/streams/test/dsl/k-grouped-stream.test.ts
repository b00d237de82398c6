import { expect } from 'chai';
import type { DroppedRecord } from '../../src/dsl/grouped.js';
import type { KStream } from '../../src/dsl/k-stream.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const int = Serdes.int32();
const long = Serdes.long();

function source(builder: StreamsBuilder): KStream<string, number> {
  return builder.stream('in', { keySerde: str, valueSerde: int });
}

async function drive(builder: StreamsBuilder, records: readonly (readonly [string | null, number | null, number])[]) {
  const driver = await TopologyTestDriver.create(builder.build());
  const input = driver.createInputTopic('in', str, int);
  for (const [k, v, ts] of records) input.pipeInput(k, v, ts);
  return driver;
}

const outRecords = <T>(driver: TopologyTestDriver, serde = long as unknown as typeof int) =>
  driver.createOutputTopic('out', str, serde).readRecordsToList().map((r) => [r.key, r.value as T, r.timestamp]);

describe('DSL > KGroupedStream', () => {
  it('count emits the running count per key with the highest timestamp so far, and materializes it', async () => {
    const builder = new StreamsBuilder();
    source(builder).groupByKey().count({ materialized: { storeName: 'counts' } }).toStream().to('out');
    const driver = await drive(builder, [['a', 1, 10], ['b', 2, 5], ['a', 3, 7], ['a', 4, 20]]);
    // Output timestamp = max timestamp of the contributing records (streams-semantics §1.2).
    expect(outRecords(driver)).to.deep.equal([['a', 1, 10], ['b', 1, 5], ['a', 2, 10], ['a', 3, 20]]);
    expect(driver.getTimestampedKeyValueStore<string, number>('counts').get('a')).to.deep.equal({ value: 3, timestamp: 20 });
    const changelog = driver.readTopic('test-app-counts-changelog');
    expect(changelog.map((r) => r.value!.readBigInt64BE(0))).to.deep.equal([1n, 1n, 2n, 3n]);
    expect(changelog.map((r) => r.timestamp)).to.deep.equal([10, 5, 10, 20]);
  });

  it('reduce starts from the first value and folds the rest with the reducer', async () => {
    const builder = new StreamsBuilder();
    source(builder).groupByKey().reduce((agg, v) => agg * 10 + v, { materialized: { storeName: 'digits' } }).toStream().to('out', { valueSerde: int });
    const driver = await drive(builder, [['a', 1, 1], ['a', 2, 2], ['b', 7, 3], ['a', 3, 4]]);
    expect(outRecords(driver, int)).to.deep.equal([['a', 1, 1], ['a', 12, 2], ['b', 7, 3], ['a', 123, 4]]);
  });

  it('aggregate folds into the initializer with the aggregator and needs a value serde', async () => {
    const builder = new StreamsBuilder();
    const grouped = source(builder).groupByKey();
    expect(() => grouped.aggregate(() => '', (_k, v, agg) => agg + v, {})).to.throw(TypeError);
    grouped
      .aggregate(() => '>', (k, v, agg) => `${agg}${k}${v}`, { materialized: { storeName: 'trail', valueSerde: str } })
      .toStream()
      .to('out', { valueSerde: str });
    const driver = await drive(builder, [['a', 1, 1], ['b', 2, 2], ['a', 3, 3]]);
    expect(outRecords(driver, str as never).map((r) => r[1])).to.deep.equal(['>a1', '>b2', '>a1a3']);
  });

  it('skips records with a null key or a null value and reports each to onDropped', async () => {
    const dropped: DroppedRecord[] = [];
    const builder = new StreamsBuilder();
    source(builder).groupByKey().count({ named: 'counter', onDropped: (d) => dropped.push(d) }).toStream().to('out');
    const driver = await drive(builder, [['a', 1, 1], [null, 2, 2], ['a', null, 3], ['a', 4, 4]]);
    expect(outRecords(driver).map((r) => r[1])).to.deep.equal([1, 2]);
    expect(dropped.map((d) => [d.reason, d.processor, d.timestamp])).to.deep.equal([
      ['null-key', 'counter', 2],
      ['null-value', 'counter', 3],
    ]);
  });

  it('an aggregator returning null deletes the key, and the next record starts again from the initializer', async () => {
    const builder = new StreamsBuilder();
    source(builder)
      .groupByKey()
      .aggregate<number>(() => 100, (_k, v, agg) => (v === 0 ? (null as unknown as number) : agg + v), { materialized: { storeName: 'sums', valueSerde: int } })
      .toStream()
      .to('out', { valueSerde: int });
    const driver = await drive(builder, [['a', 1, 1], ['a', 0, 2], ['a', 5, 3]]);
    expect(outRecords(driver, int).map((r) => r[1])).to.deep.equal([101, null, 105]);
  });

  it('groupByKey on an unmarked stream adds no repartition topic', () => {
    const builder = new StreamsBuilder();
    source(builder).filter(() => true).groupByKey().count();
    expect(builder.build().plan('app').repartitionTopics).to.deep.equal([]);
  });

  it('groupByKey after a key-changing operator repartitions through <store name>-repartition and drops null keys there', async () => {
    const builder = new StreamsBuilder();
    source(builder)
      .selectKey((_k, v) => (v === 0 ? (null as unknown as string) : `k${v % 2}`))
      .groupByKey({ keySerde: str, valueSerde: int })
      .count()
      .toStream()
      .to('out');
    const topology = builder.build();
    // Kafka's order: store name (2), aggregate (3), then the repartition's sink, filter, source (4-6).
    expect(topology.plan('app').repartitionTopics.map((t) => t.name)).to.deep.equal(['app-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition']);
    expect(topology.describe().toString()).to.contain('Processor: KSTREAM-AGGREGATE-0000000003 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000002])');
    const driver = await drive(builder, [['x', 1, 1], ['y', 3, 2], ['z', 0, 3], ['w', 2, 4]]);
    expect(outRecords(driver).map((r) => [r[0], r[1]])).to.deep.equal([['k1', 1], ['k1', 2], ['k0', 1]]);
  });

  it('groupByKey after a key change without known serdes is a TypeError', () => {
    const builder = new StreamsBuilder();
    expect(() => source(builder).map((k, v) => [v, k]).groupByKey()).to.throw(TypeError);
  });

  it('groupBy always repartitions; a Grouped name names the key selector and the topic, shared by every aggregation of it', () => {
    const builder = new StreamsBuilder();
    const grouped = source(builder).groupBy((_k, v) => String(v % 3), { name: 'by-mod', keySerde: str });
    grouped.count({ materialized: { storeName: 'mod-counts' } });
    grouped.reduce((a, b) => a + b, { materialized: { storeName: 'mod-sums' } });
    const topology = builder.build();
    expect(topology.plan('app').repartitionTopics.map((t) => t.name)).to.deep.equal(['app-by-mod-repartition']);
    const text = topology.describe().toString();
    expect(text).to.contain('Processor: by-mod (stores: [])');
    expect(text).to.contain('Sink: by-mod-repartition-sink (topic: by-mod-repartition)');
  });

  it('without a Grouped name each aggregation of a groupBy gets its own repartition topic', () => {
    const builder = new StreamsBuilder();
    const grouped = source(builder).groupBy((_k, v) => String(v), { keySerde: str });
    grouped.count({ materialized: { storeName: 'c1' } });
    grouped.count({ materialized: { storeName: 'c2' } });
    expect(builder.build().plan('app').repartitionTopics.map((t) => t.name)).to.deep.equal(['app-c1-repartition', 'app-c2-repartition']);
  });

  it('groupBy without a key serde is a TypeError, and so is a non-function selector', () => {
    const stream = source(new StreamsBuilder());
    expect(() => stream.groupBy((_k, v) => v)).to.throw(TypeError);
    expect(() => stream.groupBy(42 as never, { keySerde: str })).to.throw(TypeError);
  });

  it('word count describes like Kafka WordCountDemo (snapshot)', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('streams-plaintext-input', { keySerde: str, valueSerde: str })
      .flatMapValues((line) => line.toLowerCase().split(/\W+/))
      .groupBy((_k, word) => word, { keySerde: str, valueSerde: str })
      .count({ materialized: { storeName: 'counts-store' } })
      .toStream()
      .to('streams-wordcount-output');
    // Same node names and shape as the topology printed in Kafka's WordCount tutorial.
    expect(builder.build().describe().toString()).to.equal(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])',
        '      --> KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])',
        '      --> KSTREAM-KEY-SELECT-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])',
        '      --> counts-store-repartition-filter',
        '      <-- KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: counts-store-repartition-filter (stores: [])',
        '      --> counts-store-repartition-sink',
        '      <-- KSTREAM-KEY-SELECT-0000000002',
        '    Sink: counts-store-repartition-sink (topic: counts-store-repartition)',
        '      <-- counts-store-repartition-filter',
        '',
        '   Sub-topology: 1',
        '    Source: counts-store-repartition-source (topics: [counts-store-repartition])',
        '      --> KSTREAM-AGGREGATE-0000000003',
        '    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])',
        '      --> KTABLE-TOSTREAM-0000000007',
        '      <-- counts-store-repartition-source',
        '    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])',
        '      --> KSTREAM-SINK-0000000008',
        '      <-- KSTREAM-AGGREGATE-0000000003',
        '    Sink: KSTREAM-SINK-0000000008 (topic: streams-wordcount-output)',
        '      <-- KTABLE-TOSTREAM-0000000007',
        '',
        '',
      ].join('\n'),
    );
  });

  it('an aggregation result is a KTable: it can be filtered, and its store is queryable by name', async () => {
    const builder = new StreamsBuilder();
    const counts = source(builder).groupByKey().count();
    expect(counts.queryableStoreName).to.match(/^KSTREAM-AGGREGATE-STATE-STORE-\d{10}$/);
    counts.filter((_k, n) => n >= 2).toStream().to('out');
    const driver = await drive(builder, [['a', 1, 1], ['a', 1, 2], ['b', 1, 3], ['a', 1, 4]]);
    expect(outRecords(driver).map((r) => [r[0], r[1]])).to.deep.equal([['a', 2], ['a', 3]]);
    expect(driver.getKeyValueStore<string, number>(counts.queryableStoreName!).get('b')).to.equal(1);
  });
});
