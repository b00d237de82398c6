import { expect } from 'chai';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };

describe('DSL > Joins > stream-table', () => {
  it('keeps the stream record key and timestamp, whatever the table row timestamp', async () => {
    const builder = new StreamsBuilder();
    const table = builder.table('customers', consumed);
    builder.stream('orders', consumed).join(table, (order, customer, key) => `${key}:${order}@${customer}`).to('out', { valueSerde: str });
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('customers', str, str).pipeInput('c1', 'Ada', 500);
    driver.createInputTopic('orders', str, str).pipeInput('c1', 'o1', 100);
    const [record] = driver.createOutputTopic('out', str, str).readRecordsToList();
    expect([record?.key, record?.value, record?.timestamp]).to.deep.equal(['c1', 'c1:o1@Ada', 100]);
  });

  it('drops null-key records in an inner join and joins them with null in a left join', async () => {
    for (const left of [false, true]) {
      const builder = new StreamsBuilder();
      const table = builder.table('t', consumed);
      const stream = builder.stream('s', consumed);
      const joiner = (v: string, tv: string | null) => `${v}+${tv}`;
      (left ? stream.leftJoin(table, joiner) : stream.join(table, joiner)).to('out', { valueSerde: str });
      const driver = await TopologyTestDriver.create(builder.build());
      driver.createInputTopic('s', str, str).pipeInput(null, 'v', 1);
      expect(driver.createOutputTopic('out', str, str).readValuesToList()).to.deep.equal(left ? ['v+null'] : []);
    }
  });

  it('repartitions the stream after a key change and declares both inputs co-partitioned', async () => {
    const builder = new StreamsBuilder();
    const customers = builder.table('customers', consumed);
    builder
      .stream('orders', consumed)
      .selectKey((_k, v) => v.split('/')[0]!, { named: 'by-customer' })
      .join(customers, (order, name) => `${order} for ${name}`)
      .to('out', { valueSerde: str });
    const topology = builder.build();
    const plan = topology.plan('app');
    expect(plan.repartitionTopics.map((t) => t.name)).to.deep.equal(['app-by-customer-repartition']);
    expect(plan.copartitionGroups).to.deep.equal([['app-by-customer-repartition', 'customers']]);
    const driver = await TopologyTestDriver.create(topology, { applicationId: 'app' });
    driver.createInputTopic('customers', str, str).pipeInput('c7', 'Grace', 1);
    driver.createInputTopic('orders', str, str).pipeInput('o1', 'c7/book', 2);
    expect(driver.createOutputTopic('out', str, str).readKeyValuesToList()).to.deep.equal([{ key: 'c7', value: 'c7/book for Grace' }]);
  });

  it('names the join processor after joined.named and generates Kafka-style names otherwise', () => {
    const builder = new StreamsBuilder();
    const table = builder.table('t', consumed);
    const stream = builder.stream('s', consumed);
    stream.join(table, (a, b) => a + b, { named: 'enrich' }).to('o1', { valueSerde: str });
    stream.leftJoin(table, (a, b) => a + String(b)).to('o2', { valueSerde: str });
    const text = builder.build().describe().toString();
    expect(text).to.contain('Processor: enrich (stores: [t-STATE-STORE-0000000000])');
    expect(text).to.match(/Processor: KSTREAM-LEFTJOIN-\d{10} \(stores: \[t-STATE-STORE-0000000000\]\)/);
  });

  it('rejects a table of another builder, a missing joiner and an outer join with a table', () => {
    const builder = new StreamsBuilder();
    const stream = builder.stream('s', consumed);
    const foreign = new StreamsBuilder().table('t', consumed);
    expect(() => stream.join(foreign, (a, b) => a + b)).to.throw(TypeError);
    expect(() => stream.join(builder.table('t', consumed), 'nope' as never)).to.throw(TypeError);
    expect(() => (stream.outerJoin as (...a: unknown[]) => unknown)(builder.table('t2', consumed), () => 1)).to.throw(TypeError);
  });
});
