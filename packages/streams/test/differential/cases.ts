import fc from 'fast-check';
import type { TopologyParams } from './topologies.js';

/** One input record of a case; `value` null is a tombstone. */
export interface CaseRecord {
  topic: 'left' | 'right';
  key: string;
  value: string | null;
  ts: number;
}

export interface DiffCase {
  topology: string;
  params: TopologyParams;
  records: CaseRecord[];
}

/** One output record; `after` is the index of the input record whose processing produced it. */
export interface DiffOutput {
  after: number;
  topic: string;
  key: string | null;
  value: string | null;
  ts: number;
}

const KEYS = ['A', 'B', 'C', 'D', 'E'];

/**
 * Random inputs the way the issue describes them: keys A–E, timestamps mostly rising (steps of
 * 0–6 ms), some a little out of order (within the grace period), some far behind (late), some
 * tombstones. Values are `<side><n>:<fk>` with `n` the record's position (distinct values make
 * every output traceable) and `fk` a key A–E or absent, read by the foreign-key and
 * global-table joins.
 */
export function caseArbitrary(topology: string, params: TopologyParams, twoSided: boolean, maxRecords = 24): fc.Arbitrary<DiffCase> {
  const step = fc.record({
    topic: twoSided ? fc.constantFrom<'left' | 'right'>('left', 'right') : fc.constant<'left'>('left'),
    key: fc.constantFrom(...KEYS),
    // null: a value without a foreign key.
    fk: fc.constantFrom(...KEYS, null),
    tombstone: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    // Mostly forward; sometimes back within grace; sometimes back far enough to be late.
    move: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 6 }) },
      { weight: 2, arbitrary: fc.integer({ min: -params.grace, max: -1 }) },
      { weight: 1, arbitrary: fc.integer({ min: -(params.window + params.grace) * 2, max: -params.grace - 1 }) },
    ),
  });
  return fc.array(step, { minLength: 1, maxLength: maxRecords }).map((steps) => {
    let high = 0;
    const records = steps.map((s, i): CaseRecord => {
      const ts = Math.max(0, high + s.move);
      high = Math.max(high, ts);
      const value = s.tombstone ? null : `${s.topic === 'left' ? 'l' : 'r'}${i}${s.fk === null ? '' : `:${s.fk}`}`;
      return { topic: s.topic, key: s.key, value, ts };
    });
    return { topology, params, records };
  });
}

/** A case as a reader can replay it by hand. */
export function formatCase(c: DiffCase): string {
  return c.records.map((r, i) => `  #${i} ${r.topic} ${r.key}=${r.value ?? 'null'}@${r.ts}`).join('\n');
}

export function formatOutputs(outputs: readonly DiffOutput[]): string {
  if (outputs.length === 0) return '  (nothing)';
  return outputs.map((o) => `  after #${o.after}: ${o.topic} ${o.key ?? 'null'}=${o.value ?? 'null'}@${o.ts}`).join('\n');
}
