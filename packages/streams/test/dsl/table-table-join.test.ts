import { expect } from 'chai';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };

describe('DSL > Joins > table-table', () => {
  it('stamps each result with the later of the two rows timestamps', async () => {
    const builder = new StreamsBuilder();
    const l = builder.table('l', consumed);
    l.join(builder.table('r', consumed), (a, b) => a + b).toStream().to('out', { valueSerde: str });
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('r', str, str).pipeInput('k', 'x', 50);
    driver.createInputTopic('l', str, str).pipeInput('k', 'A', 20);
    driver.createInputTopic('r', str, str).pipeInput('k', 'y', 30);
    const out = driver.createOutputTopic('out', str, str).readRecordsToList();
    expect(out.map((r) => [r.value, r.timestamp])).to.deep.equal([['Ax', 50], ['Ay', 30]]);
  });

  it('materializes the result in a queryable store and forwards old values downstream', async () => {
    const builder = new StreamsBuilder();
    const joined = builder
      .table('l', consumed)
      .leftJoin(builder.table('r', consumed), (a, b) => `${a}/${b ?? '-'}`, { materialized: { storeName: 'joined', valueSerde: str } });
    expect(joined.queryableStoreName).to.equal('joined');
    joined.filter((_k, v) => v.endsWith('-')).toStream().to('unmatched', { valueSerde: str });
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('l', str, str).pipeInput('k', 'A', 1);
    driver.createInputTopic('r', str, str).pipeInput('k', 'a', 2);
    expect(driver.getKeyValueStore<string, string>('joined').get('k')).to.equal('A/a');
    // The filter saw (new A/a, old A/-): the key left the filtered table, so it forwards a tombstone.
    expect(driver.createOutputTopic('unmatched', str, str).readValuesToList()).to.deep.equal(['A/-', null]);
  });

  it('an unmaterialized join result can be looked up by a later stream-table join', async () => {
    const builder = new StreamsBuilder();
    const profile = builder.table('names', consumed).join(builder.table('cities', consumed), (n, c) => `${n} of ${c}`);
    builder.stream('visits', consumed).leftJoin(profile, (v, p) => `${v}: ${p ?? '?'}`).to('out', { valueSerde: str });
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('names', str, str).pipeInput('u1', 'Ada', 1);
    driver.createInputTopic('visits', str, str).pipeInput('u1', 'v1', 2);
    driver.createInputTopic('cities', str, str).pipeInput('u1', 'London', 3);
    driver.createInputTopic('visits', str, str).pipeInput('u1', 'v2', 4);
    expect(driver.createOutputTopic('out', str, str).readValuesToList()).to.deep.equal(['v1: ?', 'v2: Ada of London']);
  });

  it('declares the two tables co-partitioned and names its processors after `named`', () => {
    const builder = new StreamsBuilder();
    builder.table('l', consumed).outerJoin(builder.table('r', consumed), (a, b) => `${a}${b}`, { named: 'both' });
    const topology = builder.build();
    expect(topology.plan('app').copartitionGroups).to.deep.equal([['l', 'r']]);
    const text = topology.describe().toString();
    for (const name of ['both-join-this', 'both-join-other', 'both']) expect(text).to.contain(`Processor: ${name} `);
  });
});
