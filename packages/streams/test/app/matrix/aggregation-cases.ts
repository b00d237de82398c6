import fc from 'fast-check';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { LogRecord } from '../../../src/log/types.js';
import { Serdes } from '../../../src/serde/serdes.js';
import type { MatrixCase, MatrixOutput } from './backend-matrix.js';

const str = Serdes.string();
const int = Serdes.int32();

/** An input record: key (null: none), value (null: none), timestamp in ms. */
export type AggregationRecord = readonly [string | null, number | null, number];

const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'd') }, { weight: 1, arbitrary: fc.constant(null) });
const value = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -100, max: 100 }) }, { weight: 1, arbitrary: fc.constant(null) });
/** Up to 40 records over four keys, with a few null keys and values. */
export const aggregationInputs = fc.array(fc.tuple(key, value, fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 40 });

const decode = (record: LogRecord): string | null => {
  if (record.value === null) return null;
  return record.value.length === 8 ? record.value.readBigInt64BE().toString() : String(record.value.readInt32BE());
};

/**
 * `groupByKey().count()` and `.reduce(sum)` over a 2-partition stream: one output per counted
 * record, per key in input order (a key's records share a partition).
 */
export function aggregationCase(input: readonly AggregationRecord[]): MatrixCase {
  return {
    name: 'aggregations',
    topics: [{ name: 'in', partitions: 2 }, { name: 'count-out', partitions: 2 }, { name: 'sum-out', partitions: 2 }],
    topology: () => {
      const builder = new StreamsBuilder();
      const grouped = builder.stream('in', { keySerde: str, valueSerde: int }).groupByKey();
      grouped.count({ materialized: { storeName: 'count' } }).toStream().to('count-out');
      grouped.reduce((a, b) => a + b, { materialized: { storeName: 'sum' } }).toStream().to('sum-out');
      return builder.build();
    },
    input: input.map(([k, v, ts]) => ({ topic: 'in', key: k === null ? null : Buffer.from(k), value: v === null ? null : int.serialize(v, 'in'), timestamp: ts })),
    outputs: ['count-out', 'sum-out'],
    decode,
  };
}

/** What Kafka's semantics prescribe: running count and sum per key, skipping null keys and values. */
export function aggregationModel(input: readonly AggregationRecord[]): MatrixOutput {
  const count: Record<string, string[]> = {};
  const sum: Record<string, string[]> = {};
  const totals = new Map<string, { count: number; sum: number }>();
  for (const [k, v] of input) {
    if (k === null || v === null) continue;
    const prev = totals.get(k) ?? { count: 0, sum: 0 };
    const next = { count: prev.count + 1, sum: prev.sum + v };
    totals.set(k, next);
    (count[k] ??= []).push(String(next.count));
    (sum[k] ??= []).push(String(next.sum));
  }
  return { 'count-out': count, 'sum-out': sum };
}
