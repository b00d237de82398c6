import { expect } from 'chai';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const json = Serdes.json<{ product: string; qty: number }>();

function topology(left: boolean) {
  const builder = new StreamsBuilder();
  const products = builder.globalTable('products', { keySerde: str, valueSerde: str, materialized: { storeName: 'products-store' } });
  const orders = builder.stream('orders', { keySerde: str, valueSerde: json });
  const joiner = (o: { product: string; qty: number }, name: string | null) => `${o.qty} x ${name ?? 'unknown'}`;
  const select = (_k: string, o: { product: string; qty: number }) => o.product;
  (left ? orders.leftJoin(products, select, joiner) : orders.join(products, select, joiner)).to('out', { valueSerde: str });
  return { builder, products };
}

describe('DSL > Joins > stream-global table', () => {
  it('looks up a field of the value in the global table and keeps the stream key', async () => {
    const { builder, products } = topology(false);
    expect(products.queryableStoreName).to.equal('products-store');
    const driver = await TopologyTestDriver.create(builder.build(), { partitions: 3 });
    driver.createInputTopic('products', str, str).pipeKeyValueList([['p1', 'pen'], ['p2', 'ink']]);
    const orders = driver.createInputTopic('orders', str, json);
    orders.pipeInput('o1', { product: 'p2', qty: 3 }, 10);
    orders.pipeInput('o2', { product: 'p9', qty: 1 }, 11);
    driver.createInputTopic('products', str, str).pipeInput('p2', 'blue ink');
    orders.pipeInput('o3', { product: 'p2', qty: 2 }, 12);
    expect(driver.createOutputTopic('out', str, str).readKeyValuesToList()).to.deep.equal([
      { key: 'o1', value: '3 x ink' },
      { key: 'o3', value: '2 x blue ink' },
    ]);
    expect(driver.getKeyValueStore<string, string>('products-store').get('p1')).to.equal('pen');
  });

  it('left join joins records whose lookup finds nothing with null', async () => {
    const driver = await TopologyTestDriver.create(topology(true).builder.build());
    driver.createInputTopic('orders', str, json).pipeInput('o1', { product: 'p1', qty: 1 }, 1);
    expect(driver.createOutputTopic('out', str, str).readValuesToList()).to.deep.equal(['1 x unknown']);
  });

  it('needs no co-partitioning and no repartition after a key change', () => {
    const builder = new StreamsBuilder();
    const g = builder.globalTable('g', { keySerde: str, valueSerde: str });
    builder
      .stream('s', { keySerde: str, valueSerde: str })
      .selectKey((_k, v) => v)
      .join(g, (_k, v) => v, (v, gv) => `${v}${gv}`)
      .to('out', { keySerde: str, valueSerde: str });
    const plan = builder.build().plan('app');
    expect(plan.copartitionGroups).to.deep.equal([]);
    expect(plan.repartitionTopics).to.deep.equal([]);
    expect(plan.globalStores).to.have.length(1);
  });
});
