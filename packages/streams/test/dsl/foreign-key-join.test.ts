import { expect } from 'chai';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { encodeResponse, valueHash } from '../../src/dsl/internals/joins/foreign-key-join/subscription-messages.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };
const joiner = (v: string, rv: string | null) => `${v},${rv ?? 'null'}`;

function declare(options: { named?: string; materialized?: boolean } = {}) {
  const builder = new StreamsBuilder();
  const orders = builder.table('orders', consumed);
  const joined = orders.leftJoin(builder.table('customers', consumed), (v) => v.split('/')[0] ?? null, joiner, {
    ...(options.named === undefined ? {} : { named: options.named }),
    ...(options.materialized === true ? { materialized: { storeName: 'enriched', valueSerde: str } } : {}),
  });
  return { builder, joined };
}

describe('DSL > Joins > foreign-key', () => {
  it('creates Kafka-named internal topics and needs no co-partitioning of the two tables', () => {
    const { builder, joined } = declare();
    joined.toStream().to('out', { valueSerde: str });
    const plan = builder.build().plan('app');
    const topics = plan.repartitionTopics.map((t) => t.name);
    expect(topics).to.have.length(2);
    expect(topics[0]).to.match(/^app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-\d{10}-topic$/);
    expect(topics[1]).to.match(/^app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-\d{10}-topic$/);
    // Each internal topic is co-partitioned with the table it is read next to, never the tables together.
    expect(plan.copartitionGroups).to.have.deep.members([
      [topics[0], 'customers'],
      [topics[1], 'orders'],
    ]);
  });

  it('names topics and the subscription store after `named`', async () => {
    const { builder, joined } = declare({ named: 'order-customer' });
    joined.toStream().to('out', { valueSerde: str });
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('orders', str, str).pipeInput('o1', 'c1/pen', 1);
    expect(driver.readTopic('test-app-order-customer-subscription-registration-topic')).to.have.length(1);
    expect(driver.readTopic('test-app-order-customer-subscription-response-topic')).to.have.length(1);
    expect(driver.readTopic('test-app-order-customer-subscription-store-changelog')).to.have.length(1);
  });

  it('drops a response computed for an older left value (its hash no longer matches)', async () => {
    const { builder, joined } = declare({ named: 'fk' });
    joined.toStream().to('out', { valueSerde: str });
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('customers', str, str).pipeInput('c1', 'Ada', 1);
    driver.createInputTopic('orders', str, str).pipeInput('o1', 'c1/pen', 2);
    const out = driver.createOutputTopic('out', str, str);
    expect(out.readValuesToList()).to.deep.equal(['c1/pen,Ada']);
    const responses = driver.createInputTopic('test-app-fk-subscription-response-topic', Serdes.bytes(), Serdes.bytes());
    const respond = (forValue: string) =>
      responses.pipeInput(Buffer.from('o1'), encodeResponse({ hash: valueHash(Buffer.from(forValue)), rightValue: Buffer.from('Grace') }), 3);
    respond('c1/old-pen');
    expect(out.readValuesToList()).to.deep.equal([]);
    respond('c1/pen');
    expect(out.readValuesToList()).to.deep.equal(['c1/pen,Grace']);
  });

  it('a materialized result is queryable and forwards old values, so a downstream filter retracts', async () => {
    const { builder, joined } = declare({ materialized: true });
    expect(joined.queryableStoreName).to.equal('enriched');
    joined.filter((_k, v) => !v.endsWith(',null')).toStream().to('matched', { valueSerde: str });
    const driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('customers', str, str).pipeInput('c1', 'Ada', 1);
    driver.createInputTopic('orders', str, str).pipeInput('o1', 'c1/pen', 2);
    driver.createInputTopic('customers', str, str).pipeInput('c1', null, 3);
    expect(driver.getKeyValueStore<string, string>('enriched').get('o1')).to.equal('c1/pen,null');
    expect(driver.createOutputTopic('matched', str, str).readValuesToList()).to.deep.equal(['c1/pen,Ada', null]);
  });

  it('reading an unmaterialized result (joining it again) is a TypeError that asks for materialization', () => {
    const { builder, joined } = declare();
    expect(() => builder.stream('s', consumed).join(joined, (a, b) => a + b)).to.throw(TypeError, /materialized/);
  });

  it('rejects an outer foreign-key join and a table of another builder', () => {
    const builder = new StreamsBuilder();
    const t = builder.table('t', consumed);
    expect(() => (t.outerJoin as (...a: unknown[]) => unknown)(builder.table('u', consumed), () => 'x', joiner)).to.throw(TypeError);
    expect(() => t.join(new StreamsBuilder().table('u', consumed), (v) => v, joiner)).to.throw(TypeError);
  });
});
