import { JoinWindows } from '../../../src/dsl/join-windows.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { Serdes } from '../../../src/serde/serdes.js';
import { FOREIGN_KEY_ROWS } from '../../dsl/golden/foreign-key-join.golden.js';
import { formatJoin, type JoinRow } from '../../dsl/golden/join-row.js';
import { SECOND, STREAM_STREAM_GRACE_MS, STREAM_STREAM_ROWS, STREAM_STREAM_WINDOW_MS } from '../../dsl/golden/stream-stream-join.golden.js';
import { STREAM_TABLE_ROWS } from '../../dsl/golden/stream-table-join.golden.js';
import { TABLE_TABLE_ROWS } from '../../dsl/golden/table-table-join.golden.js';
import { rec, type MatrixCase } from './backend-matrix.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };
const produced = { valueSerde: str };
const topics = (outputs: readonly string[]) => ['left', 'right', ...outputs].map((name) => ({ name, partitions: 1 }));

/** A golden table run through the engine: every join kind at once, one output topic per kind. */
export interface GoldenCase<TKind extends string> {
  matrixCase: MatrixCase;
  kinds: readonly TKind[];
  /** The outputs of one kind, concatenated over the rows, as the golden table says. */
  expected: (kind: TKind) => Array<string | null>;
}

/** Rows of a golden table as input records, all with key `k`, stamped `ts × scale` ms. */
function rowInput(rows: readonly JoinRow<string>[], scale: number) {
  return rows.flatMap((row) => [
    ...(row.left !== undefined ? [rec('left', 'k', row.left, row.ts * scale)] : []),
    ...(row.right !== undefined ? [rec('right', 'k', row.right, row.ts * scale)] : []),
  ]);
}

function fromRows<TKind extends string>(name: string, rows: readonly JoinRow<TKind>[], kinds: readonly TKind[], declare: (b: StreamsBuilder) => void, scale = 1): GoldenCase<TKind> {
  const outputs = kinds.map((k) => `out-${k}`);
  return {
    kinds,
    expected: (kind) => rows.flatMap((row) => row.expected[kind]),
    matrixCase: {
      name,
      topics: topics(outputs),
      topology: () => {
        const builder = new StreamsBuilder();
        declare(builder);
        return builder.build();
      },
      input: rowInput(rows, scale),
      outputs,
    },
  };
}

export const tableTableCase = fromRows('table-table', TABLE_TABLE_ROWS, ['inner', 'left', 'outer'], (b) => {
  const l = b.table('left', consumed);
  const r = b.table('right', consumed);
  l.join(r, formatJoin).toStream().to('out-inner', produced);
  l.leftJoin(r, formatJoin).toStream().to('out-left', produced);
  l.outerJoin(r, formatJoin).toStream().to('out-outer', produced);
});

export const streamTableCase = fromRows('stream-table', STREAM_TABLE_ROWS, ['inner', 'left'], (b) => {
  const s = b.stream('left', consumed);
  const t = b.table('right', consumed);
  s.join(t, (v, tv) => formatJoin(v, tv)).to('out-inner', produced);
  s.leftJoin(t, (v, tv) => formatJoin(v, tv)).to('out-left', produced);
});

export const streamStreamCase = fromRows(
  'stream-stream',
  STREAM_STREAM_ROWS,
  ['inner', 'left', 'outer'],
  (b) => {
    const windows = JoinWindows.ofTimeDifferenceAndGrace(STREAM_STREAM_WINDOW_MS, STREAM_STREAM_GRACE_MS);
    const l = b.stream('left', consumed);
    const r = b.stream('right', consumed);
    l.join(r, (a, c) => formatJoin(a, c), windows).to('out-inner', produced);
    l.leftJoin(r, (a, c) => formatJoin(a, c), windows).to('out-left', produced);
    l.outerJoin(r, (a, c) => formatJoin(a, c), windows).to('out-outer', produced);
  },
  SECOND,
);

/** `<key>=<value>`, an empty value being a tombstone. */
const entry = (topic: string, text: string, ts: number) => {
  const [key, value] = text.split('=') as [string, string];
  return rec(topic, key, value === '' ? null : value, ts);
};

/**
 * The foreign-key join's left and right tables are different sub-topologies that talk through
 * two internal topics: with all rows appended at once, the right side would run ahead of the
 * subscriptions. So the rows go in one step at a time, each processed through both sides before
 * the next, as the TopologyTestDriver runs them.
 */
export const foreignKeyCase = {
  kinds: ['inner', 'left'] as const,
  /** The golden outputs of one kind per key (`fk,right`, or null for a tombstone), in row order. */
  expected(kind: 'inner' | 'left'): Record<string, Array<string | null>> {
    const perKey: Record<string, Array<string | null>> = {};
    for (const output of FOREIGN_KEY_ROWS.flatMap((row) => row.expected[kind])) {
      const tombstone = /^(\w+):null$/.exec(output);
      const [, key, value] = tombstone ? [output, tombstone[1]!, null] : /^\((\w+),(.*)\)$/.exec(output)!;
      (perKey[key!] ??= []).push(value ?? null);
    }
    return perKey;
  },
  matrixCase: {
    name: 'foreign-key',
    topics: topics(['out-inner', 'out-left']),
    topology: () => {
      const builder = new StreamsBuilder();
      const l = builder.table('left', consumed);
      const r = builder.table('right', consumed);
      const fk = (v: string): string | null => (v === '-' ? null : v);
      const joiner = (v: string, rv: string | null): string => `${v},${rv ?? 'null'}`;
      l.join(r, fk, joiner).toStream().to('out-inner', produced);
      l.leftJoin(r, fk, joiner).toStream().to('out-left', produced);
      return builder.build();
    },
    input: [],
    steps: FOREIGN_KEY_ROWS.map((row) => [
      ...(row.left !== undefined ? [entry('left', row.left, row.ts)] : []),
      ...(row.right !== undefined ? [entry('right', row.right, row.ts)] : []),
    ]),
    outputs: ['out-inner', 'out-left'],
  } satisfies MatrixCase,
};
