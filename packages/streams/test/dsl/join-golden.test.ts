import { expect } from 'chai';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import type { KStream } from '../../src/dsl/k-stream.js';
import type { KTable } from '../../src/dsl/k-table.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';
import { FOREIGN_KEY_ROWS } from './golden/foreign-key-join.golden.js';
import { formatJoin, type JoinRow } from './golden/join-row.js';
import { SECOND, STREAM_STREAM_GRACE_MS, STREAM_STREAM_ROWS, STREAM_STREAM_WINDOW_MS } from './golden/stream-stream-join.golden.js';
import { STREAM_TABLE_ROWS } from './golden/stream-table-join.golden.js';
import { TABLE_TABLE_ROWS } from './golden/table-table-join.golden.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };

/** Pipes the rows one at a time and checks what each row alone makes the join output. */
async function runRows<TKinds extends string>(
  declare: (builder: StreamsBuilder) => void,
  rows: readonly JoinRow<TKinds>[],
  kind: TKinds,
  tsScale = 1,
): Promise<void> {
  const builder = new StreamsBuilder();
  declare(builder);
  const driver = await TopologyTestDriver.create(builder.build());
  const left = driver.createInputTopic('left', str, str);
  const right = driver.createInputTopic('right', str, str);
  const out = driver.createOutputTopic('out', str, str);
  for (const row of rows) {
    if (row.left !== undefined) left.pipeInput('k', row.left, row.ts * tsScale);
    if (row.right !== undefined) right.pipeInput('k', row.right, row.ts * tsScale);
    const outputs = out.readKeyValuesToList();
    expect(outputs.map((kv) => kv.key)).to.satisfy((keys: string[]) => keys.every((k) => k === 'k'));
    expect(outputs.map((kv) => kv.value), `row ts=${row.ts} (${kind})`).to.deep.equal(row.expected[kind]);
  }
  await driver.close();
}

describe('DSL > Joins > golden tables (streams-semantics §1.3, caching off)', () => {
  for (const kind of ['inner', 'left', 'outer'] as const) {
    it(`table-table ${kind} join reproduces all 15 rows`, async () => {
      await runRows(
        (b) => {
          const l: KTable<string, string> = b.table('left', consumed);
          const r: KTable<string, string> = b.table('right', consumed);
          const joined =
            kind === 'inner' ? l.join(r, formatJoin) : kind === 'left' ? l.leftJoin(r, formatJoin) : l.outerJoin(r, formatJoin);
          joined.toStream().to('out', { valueSerde: str });
        },
        TABLE_TABLE_ROWS,
        kind,
      );
    });
  }

  for (const kind of ['inner', 'left'] as const) {
    it(`stream-table ${kind} join reproduces all 15 rows`, async () => {
      await runRows(
        (b) => {
          const s: KStream<string, string> = b.stream('left', consumed);
          const t: KTable<string, string> = b.table('right', consumed);
          const joined = kind === 'inner' ? s.join(t, (v, tv) => formatJoin(v, tv)) : s.leftJoin(t, (v, tv) => formatJoin(v, tv));
          joined.to('out', { valueSerde: str });
        },
        STREAM_TABLE_ROWS,
        kind,
      );
    });
  }

  for (const kind of ['inner', 'left', 'outer'] as const) {
    it(`stream-stream ${kind} join reproduces rows 3-15 and emits unmatched records only after window and grace`, async () => {
      const windows = JoinWindows.ofTimeDifferenceAndGrace(STREAM_STREAM_WINDOW_MS, STREAM_STREAM_GRACE_MS);
      await runRows(
        (b) => {
          const l: KStream<string, string> = b.stream('left', consumed);
          const r: KStream<string, string> = b.stream('right', consumed);
          const joined =
            kind === 'inner'
              ? l.join(r, (a, c) => formatJoin(a, c), windows)
              : kind === 'left'
                ? l.leftJoin(r, (a, c) => formatJoin(a, c), windows)
                : l.outerJoin(r, (a, c) => formatJoin(a, c), windows);
          joined.to('out', { valueSerde: str });
        },
        STREAM_STREAM_ROWS,
        kind,
        SECOND,
      );
    });
  }

  for (const kind of ['inner', 'left'] as const) {
    it(`foreign-key ${kind} join reproduces the derived table`, async () => {
      const builder = new StreamsBuilder();
      const l: KTable<string, string> = builder.table('left', consumed);
      const r: KTable<string, string> = builder.table('right', consumed);
      const fk = (v: string): string | null => (v === '-' ? null : v);
      const joiner = (v: string, rv: string | null): string => `${v},${rv ?? 'null'}`;
      const joined = kind === 'inner' ? l.join(r, fk, joiner) : l.leftJoin(r, fk, joiner);
      joined.toStream().to('out', { valueSerde: str });
      const driver = await TopologyTestDriver.create(builder.build());
      const left = driver.createInputTopic('left', str, str);
      const right = driver.createInputTopic('right', str, str);
      const out = driver.createOutputTopic('out', str, str);
      const pipe = (topic: typeof left, entry: string, ts: number): void => {
        const [key, value] = entry.split('=') as [string, string];
        topic.pipeInput(key, value === '' ? null : value, ts);
      };
      for (const row of FOREIGN_KEY_ROWS) {
        if (row.left !== undefined) pipe(left, row.left, row.ts);
        if (row.right !== undefined) pipe(right, row.right, row.ts);
        const outputs = out.readKeyValuesToList().map((kv) => (kv.value === null ? `${kv.key}:null` : `(${kv.key},${kv.value})`));
        expect(outputs, `row ts=${row.ts} (${kind}): ${row.why}`).to.deep.equal(row.expected[kind]);
      }
      await driver.close();
    });
  }
});
