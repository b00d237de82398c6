import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Topology } from '../../../src/processor/topology.js';
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

/** What examples/word-count/src/topology.ts exports. */
interface WordCountModule {
  buildWordCountTopology(): Topology;
  words(sentence: string): string[];
  DEFAULTS: { inputTopic: string; outputTopic: string };
}

const SENTENCES = [
  'the quick brown fox',
  'jumps over the lazy dog',
  'The dog barks',
  'a fox, a dog and the end',
  'quick quick quick',
  'over and over',
];

/**
 * The word-count example over a 2-partition input, so the counts go through its repartition
 * topic. `model`: per word, the counts it must output (1, 2, 3… whatever the interleaving).
 */
export async function wordCountCase(file: string): Promise<MatrixCase & { model: Record<string, string[]> }> {
  const example = (await import(pathToFileURL(file).href)) as WordCountModule;
  const { inputTopic, outputTopic } = example.DEFAULTS;
  const model: Record<string, string[]> = {};
  const totals = new Map<string, number>();
  for (const word of SENTENCES.flatMap(example.words)) {
    totals.set(word, (totals.get(word) ?? 0) + 1);
    (model[word] ??= []).push(String(totals.get(word)));
  }
  return {
    name: 'example-word-count',
    topics: [{ name: inputTopic, partitions: 2 }, { name: outputTopic, partitions: 2 }],
    topology: () => example.buildWordCountTopology(),
    input: SENTENCES.map((line, i) => ({ topic: inputTopic, key: Buffer.from(`line-${i}`), value: Buffer.from(line), timestamp: 1000 + i })),
    outputs: [outputTopic],
    decode: (r) => (r.value === null ? null : r.value.readBigInt64BE().toString()),
    model,
  };
}
