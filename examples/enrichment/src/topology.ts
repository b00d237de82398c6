import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';

/** An order as it arrives on `orders`, keyed by order id. */
export interface Order {
  orderId: string;
  customerId: string;
  item: string;
  /** In cents. */
  amount: number;
}

/** A customer as kept on the compacted `customers` topic, keyed by customer id. */
export interface Customer {
  name: string;
  tier: 'standard' | 'gold';
}

/** What `enriched-orders` holds, keyed by order id: the order and its customer, if known. */
export interface EnrichedOrder extends Order {
  customer: Customer | null;
}

export const TOPICS = { orders: 'orders', customers: 'customers', enriched: 'enriched-orders' } as const;

const str = Serdes.string();

/**
 * Declares the enrichment: orders are re-keyed by customer (which repartitions them through
 * `<applicationId>-enrich-orders-repartition`, co-partitioned with `customers`), left-joined
 * with the customers table, re-keyed by order id and written to `enriched-orders`. An order whose
 * customer is not known yet is still written, with `customer: null`. Every stateful part is named,
 * so its store and topics keep their names when the topology changes.
 */
export function createEnrichmentStream(builder: StreamsBuilder): void {
  const customers = builder.table(TOPICS.customers, {
    keySerde: str,
    valueSerde: Serdes.json<Customer>(),
    materialized: { storeName: 'customers-store' },
  });
  builder
    .stream(TOPICS.orders, { keySerde: str, valueSerde: Serdes.json<Order>() })
    .selectKey((_orderId, order) => order.customerId, { named: 'orders-by-customer' })
    .leftJoin(customers, (order, customer): EnrichedOrder => ({ ...order, customer }), { named: 'enrich-orders' })
    .selectKey((_customerId, enriched) => enriched.orderId, { named: 'by-order-id' })
    .to(TOPICS.enriched, { keySerde: str, valueSerde: Serdes.json<EnrichedOrder>() });
}

/** The whole topology, as `main.ts` runs it and the tests drive it. */
export function buildEnrichmentTopology(): Topology {
  const builder = new StreamsBuilder();
  createEnrichmentStream(builder);
  return builder.build();
}
