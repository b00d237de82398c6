import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { Serdes, StreamsApp } from '@parley/streams';
import { EmbeddedLog } from '@parley/streams/embedded';
import { TopologyTestDriver } from '@parley/streams/testing';
import { buildEnrichmentTopology, TOPICS, type Customer, type EnrichedOrder, type Order } from '../src/topology.js';

const str = Serdes.string();
const orderSerde = Serdes.json<Order>();
const customerSerde = Serdes.json<Customer>();
const enrichedSerde = Serdes.json<EnrichedOrder>();

const ada: Customer = { name: 'Ada', tier: 'gold' };
const order = (orderId: string, customerId: string): Order => ({ orderId, customerId, item: `item-${orderId}`, amount: 100 });

describe('Examples > Enrichment', () => {
  it('joins each order with its customer as known when the order arrives (TopologyTestDriver)', async () => {
    const driver = await TopologyTestDriver.create(buildEnrichmentTopology(), { partitions: 2 });
    const customers = driver.createInputTopic(TOPICS.customers, str, customerSerde);
    const orders = driver.createInputTopic(TOPICS.orders, str, orderSerde);
    const enriched = driver.createOutputTopic(TOPICS.enriched, str, enrichedSerde);
    orders.pipeInput('o1', order('o1', 'c1'), 10);
    customers.pipeInput('c1', ada, 20);
    orders.pipeInput('o2', order('o2', 'c1'), 30);
    customers.pipeInput('c1', null, 40);
    orders.pipeInput('o3', order('o3', 'c1'), 50);
    expect(enriched.readKeyValuesToList()).to.deep.equal([
      { key: 'o1', value: { ...order('o1', 'c1'), customer: null } },
      { key: 'o2', value: { ...order('o2', 'c1'), customer: ada } },
      { key: 'o3', value: { ...order('o3', 'c1'), customer: null } },
    ]);
    expect(driver.getKeyValueStore<string, Customer>('customers-store').get('c1')).to.equal(undefined);
    await driver.close();
  });

  it('enriches orders on the embedded log with StreamsApp', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-enrichment-test-'));
    const log = new EmbeddedLog({ dir: path.join(dir, 'log'), maintenanceIntervalMs: 0 });
    try {
      await log.open();
      await log.createTopics([
        { name: TOPICS.orders, partitions: 3 },
        { name: TOPICS.customers, partitions: 2 },
        { name: TOPICS.enriched, partitions: 1 },
      ]);
      await log.append(TOPICS.customers, [{ key: Buffer.from('c1'), value: customerSerde.serialize(ada), timestamp: 1 }]);
      const orders = [order('o1', 'c1'), order('o2', 'c2'), order('o3', 'c1')];
      await log.append(TOPICS.orders, orders.map((o, i) => ({ key: Buffer.from(o.orderId), value: orderSerde.serialize(o), timestamp: 10 + i })));
      const app = new StreamsApp(buildEnrichmentTopology(), { applicationId: 'enrichment-test', log, stateDir: path.join(dir, 'state') });
      await app.start();
      await app.waitUntilCaughtUp();
      await app.commit();
      // The repartitioned orders take the customers' partition count: the join's inputs are co-partitioned.
      expect((await log.describeTopic('enrichment-test-enrich-orders-repartition')).partitions).to.equal(2);
      await app.close();
      const written = (await log.read({ topic: TOPICS.enriched, partition: 0 }, 0, { maxRecords: 10 })).map((r) => ({
        key: r.key!.toString(),
        value: enrichedSerde.deserialize(r.value!),
      }));
      expect(written.sort((a, b) => a.key.localeCompare(b.key))).to.deep.equal([
        { key: 'o1', value: { ...orders[0]!, customer: ada } },
        { key: 'o2', value: { ...orders[1]!, customer: null } },
        { key: 'o3', value: { ...orders[2]!, customer: ada } },
      ]);
    } finally {
      await log.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
