import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { Topology } from '../../../src/processor/topology.js';
import { Serdes } from '../../../src/serde/serdes.js';
import type { MatrixCase, MatrixInput } from './backend-matrix.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../examples');

/** The path of an example's topology module, or undefined while the example does not exist. */
export function exampleTopology(name: string): string | undefined {
  const file = path.join(examples, name, 'src', 'topology.ts');
  return fs.existsSync(file) ? file : undefined;
}

/** What examples/enrichment/src/topology.ts exports (loaded by path: examples depend on streams, not the reverse). */
interface EnrichmentModule {
  buildEnrichmentTopology(): Topology;
  TOPICS: { orders: string; customers: string; enriched: string };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/**
 * The enrichment example on its own input: four customers, then 24 orders of five customer ids
 * (one unknown). Customers come first in time, so every order meets the customers table complete.
 */
export async function enrichmentCase(file: string): Promise<MatrixCase & { orders: number }> {
  const example = (await import(pathToFileURL(file).href)) as EnrichmentModule;
  const { TOPICS } = example;
  const customers: MatrixInput[] = ['Ada', 'Grace', 'Edsger', 'Barbara'].map((name, i) => ({
    topic: TOPICS.customers,
    key: Buffer.from(`c${i + 1}`),
    value: json({ name, tier: i % 2 === 0 ? 'gold' : 'standard' }),
    timestamp: 1000 + i,
  }));
  const orders: MatrixInput[] = Array.from({ length: 24 }, (_, i) => ({
    topic: TOPICS.orders,
    key: Buffer.from(`o${i}`),
    value: json({ orderId: `o${i}`, customerId: `c${(i % 5) + 1}`, item: `item-${i}`, amount: 100 * (i + 1) }),
    timestamp: 2000 + i,
  }));
  return {
    name: 'example-enrichment',
    topics: [
      { name: TOPICS.orders, partitions: 2 },
      { name: TOPICS.customers, partitions: 2, config: { cleanupPolicy: 'compact' } },
      { name: TOPICS.enriched, partitions: 2 },
    ],
    topology: () => example.buildEnrichmentTopology(),
    input: [...customers, ...orders],
    outputs: [TOPICS.enriched],
    orders: orders.length,
  };
}

const LINES = [
  'the quick brown fox',
  'jumps over the lazy dog',
  'The dog barks',
  'a fox, a dog and the end',
  'quick quick quick',
  'over and over',
];

/**
 * Word count, the library's first example (lines → words → counts per word), over a 2-partition
 * input so the counts go through a repartition topic.
 */
export function wordCountCase(): MatrixCase & { model: Record<string, string[]> } {
  const model: Record<string, string[]> = {};
  const words = (line: string) => line.toLowerCase().split(/\W+/).filter((w) => w.length > 0);
  const totals = new Map<string, number>();
  for (const word of LINES.flatMap(words)) {
    totals.set(word, (totals.get(word) ?? 0) + 1);
    (model[word] ??= []).push(String(totals.get(word)));
  }
  return {
    name: 'word-count',
    topics: [{ name: 'lines', partitions: 2 }, { name: 'word-counts', partitions: 2 }],
    topology: () => {
      const builder = new StreamsBuilder();
      builder
        .stream('lines', { keySerde: Serdes.string(), valueSerde: Serdes.string() })
        .flatMapValues(words)
        .groupBy((_key, word) => word, { keySerde: Serdes.string(), valueSerde: Serdes.string() })
        .count({ materialized: { storeName: 'word-counts-store' } })
        .toStream()
        .to('word-counts', { valueSerde: Serdes.long() });
      return builder.build();
    },
    input: LINES.map((line, i) => ({ topic: 'lines', key: Buffer.from(`line-${i}`), value: Buffer.from(line), timestamp: 1000 + i })),
    outputs: ['word-counts'],
    decode: (r) => (r.value === null ? null : r.value.readBigInt64BE().toString()),
    model: { ...model },
  };
}
