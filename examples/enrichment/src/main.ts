/**
 * Runs the enrichment on the embedded log: creates the topics in a temporary directory, writes a
 * few customers and orders, runs the topology with StreamsApp until it has caught up, prints the
 * enriched orders, and cleans up.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Serdes, StreamsApp } from '@parley/streams';
import { EmbeddedLog } from '@parley/streams/embedded';
import { buildEnrichmentTopology, TOPICS, type Customer, type EnrichedOrder, type Order } from './topology.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-enrichment-'));
const log = new EmbeddedLog({ dir: path.join(dir, 'log'), maintenanceIntervalMs: 0 });
try {
  await log.open();
  await log.createTopics([
    { name: TOPICS.orders, partitions: 2 },
    { name: TOPICS.customers, partitions: 2, config: { cleanupPolicy: 'compact' } },
    { name: TOPICS.enriched, partitions: 2 },
  ]);
  const customers = Serdes.json<Customer>();
  const orders = Serdes.json<Order>();
  await log.append(TOPICS.customers, [
    { key: Buffer.from('c1'), value: customers.serialize({ name: 'Ada', tier: 'gold' }), timestamp: 1_000 },
    { key: Buffer.from('c2'), value: customers.serialize({ name: 'Grace', tier: 'standard' }), timestamp: 1_000 },
  ]);
  const sample: Order[] = [
    { orderId: 'o1', customerId: 'c1', item: 'notebook', amount: 1200 },
    { orderId: 'o2', customerId: 'c2', item: 'pen', amount: 250 },
    { orderId: 'o3', customerId: 'c9', item: 'ink', amount: 800 },
  ];
  await log.append(
    TOPICS.orders,
    sample.map((order, i) => ({ key: Buffer.from(order.orderId), value: orders.serialize(order), timestamp: 2_000 + i })),
  );

  const app = new StreamsApp(buildEnrichmentTopology(), { applicationId: 'enrichment', log, stateDir: path.join(dir, 'state') });
  await app.start();
  await app.waitUntilCaughtUp();
  await app.commit();
  await app.close();

  const enriched = Serdes.json<EnrichedOrder>();
  for (let partition = 0; partition < 2; partition++) {
    for (const record of await log.read({ topic: TOPICS.enriched, partition }, 0, { maxRecords: 100 })) {
      const order = enriched.deserialize(record.value!);
      const who = order.customer === null ? 'unknown customer' : `${order.customer.name} (${order.customer.tier})`;
      console.log(`${order.orderId}: ${order.item} for ${who}, ${(order.amount / 100).toFixed(2)}`);
    }
  }
} finally {
  await log.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
