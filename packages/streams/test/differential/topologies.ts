import { Branched } from '../../src/dsl/branched.js';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import type { KStream } from '../../src/dsl/k-stream.js';
import type { KTable } from '../../src/dsl/k-table.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { SlidingWindows } from '../../src/dsl/sliding-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import type { Windowed } from '../../src/dsl/windowed.js';
import type { Processor, ProcessorContext } from '../../src/index.js';
import type { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';

/*
 * The topologies of the differential suite, one for one with the `case` labels of
 * scripts/kafka-streams-differential/src/DifferentialRunner.java: same operators, same
 * functions, same output topics. Values look like `l7:B` (side, number, foreign key); outputs
 * are strings so both sides compare as text.
 */

/** Durations a case may set; the runner reads the same names. */
export interface TopologyParams {
  /** Window size, join time difference, session gap or punctuation interval (ms). */
  window: number;
  grace: number;
  /** Hopping windows' advance. */
  advance: number;
}

export const OUTPUT_TOPICS = ['out', 'out-a', 'out-b', 'out-c'] as const;

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };
const produced = { keySerde: str, valueSerde: str };

/** The number in a value `<side><n>:<fk>`. */
export const num = (v: string): number => Number.parseInt(v.slice(1, v.includes(':') ? v.indexOf(':') : undefined), 10);
/** The foreign key in a value `<side><n>:<fk>`, or null. */
export const fk = (v: string): string | null => (v.includes(':') ? v.slice(v.indexOf(':') + 1) : null);
const letter = (n: number): string => String.fromCharCode('A'.charCodeAt(0) + n);
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const win = (w: Windowed<string>): string => `${w.key}@${w.window.start}-${w.window.end}`;
const joiner = (a: string | null, b: string | null): string => `${a}|${b}`;

function windowedTo<V>(table: KTable<Windowed<string>, V>): void {
  table
    .toStream()
    .map((w, v) => [win(w), text(v)] as const)
    .to('out', produced as never);
}

type Build = (b: StreamsBuilder, p: TopologyParams) => void;

const left = (b: StreamsBuilder): KStream<string, string> => b.stream('left', consumed);

export const TOPOLOGIES: Record<string, Build> = {
  stateless: (b) =>
    left(b)
      .filter((_k, v) => v === null || num(v) % 3 !== 0)
      .mapValues((v) => (v === null ? 'nil' : `${v}!`))
      .flatMapValues((v) => [v, `${v}2`])
      .filterNot((k, v) => k === 'E' && v.endsWith('2'))
      .to('out', produced),
  split: (b) => {
    left(b)
      .split()
      .branch((_k, v) => v !== null && num(v) % 2 === 0, Branched.withConsumer((s) => s.to('out-a', produced)))
      .branch((_k, v) => v !== null && num(v) % 3 === 0, Branched.withConsumer((s) => s.to('out-b', produced)))
      .defaultBranch(Branched.withConsumer((s) => s.to('out-c', produced)));
  },
  'selectkey-count': (b) =>
    left(b)
      .selectKey((k, v) => (v === null ? k : letter(num(v) % 3)))
      .groupByKey({ keySerde: str, valueSerde: str })
      .count()
      .toStream()
      .mapValues(text)
      .to('out', produced),
  'grouped-reduce': (b) =>
    left(b)
      .groupByKey()
      .reduce((a, v) => `${a}+${v}`)
      .toStream()
      .to('out', produced),
  'grouped-aggregate': (b) =>
    left(b)
      .groupBy((k, v) => (v === null ? k : letter(num(v) % 2)), { keySerde: str, valueSerde: str })
      .aggregate(() => '', (k, v, agg) => `${agg}/${k}${v}`, { materialized: { valueSerde: str } })
      .toStream()
      .to('out', produced),
  'tumbling-count': (b, p) => windowedTo(left(b).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(p.window, p.grace)).count()),
  // A long retention: see the runner (Kafka loses finals that leave a size + grace retention).
  'tumbling-count-close': (b, p) =>
    windowedTo(
      left(b)
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(p.window, p.grace))
        .emitStrategy('onWindowClose')
        .count({ materialized: { retentionMs: 86_400_000 } }),
    ),
  'hopping-aggregate': (b, p) =>
    windowedTo(
      left(b)
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(p.window, p.grace).advanceBy(p.advance))
        .aggregate(() => '', (_k, v, agg) => `${agg}/${v}`, { materialized: { valueSerde: str } }),
    ),
  'sliding-count': (b, p) => windowedTo(left(b).groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(p.window, p.grace)).count()),
  'sliding-count-close': (b, p) =>
    windowedTo(left(b).groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(p.window, p.grace)).emitStrategy('onWindowClose').count()),
  'session-count': (b, p) => windowedTo(left(b).groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace(p.window, p.grace)).count()),
  'session-count-close': (b, p) =>
    windowedTo(left(b).groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace(p.window, p.grace)).emitStrategy('onWindowClose').count()),
  'table-groupby': (b) => {
    const grouped = b.table('left', consumed).groupBy((_k, v) => [letter(num(v) % 2), v] as const, { keySerde: str, valueSerde: str });
    grouped
      .aggregate(
        () => '0',
        (_k, v, agg) => String(Number(agg) + num(v)),
        (_k, v, agg) => String(Number(agg) - num(v)),
        { materialized: { valueSerde: str } },
      )
      .toStream()
      .to('out-a', produced);
    grouped.count().toStream().mapValues(text).to('out-b', produced);
  },
  'stream-table-inner': (b) => left(b).join(b.table('right', consumed), joiner).to('out', produced),
  'stream-table-left': (b) => left(b).leftJoin(b.table('right', consumed), joiner).to('out', produced),
  'stream-global-inner': (b) =>
    left(b)
      .join(b.globalTable('right', consumed), (_k, v) => (v === null ? null : fk(v)), joiner)
      .to('out', produced),
  'stream-global-left': (b) =>
    left(b)
      .leftJoin(b.globalTable('right', consumed), (_k, v) => (v === null ? null : fk(v)), joiner)
      .to('out', produced),
  'table-table-inner': (b) => b.table('left', consumed).join(b.table('right', consumed), joiner).toStream().to('out', produced),
  'table-table-left': (b) => b.table('left', consumed).leftJoin(b.table('right', consumed), joiner).toStream().to('out', produced),
  'table-table-outer': (b) => b.table('left', consumed).outerJoin(b.table('right', consumed), joiner).toStream().to('out', produced),
  'stream-stream-inner': (b, p) =>
    left(b).join(b.stream('right', consumed), joiner, JoinWindows.ofTimeDifferenceAndGrace(p.window, p.grace)).to('out', produced),
  'stream-stream-left': (b, p) =>
    left(b).leftJoin(b.stream('right', consumed), joiner, JoinWindows.ofTimeDifferenceAndGrace(p.window, p.grace)).to('out', produced),
  'stream-stream-outer': (b, p) =>
    left(b).outerJoin(b.stream('right', consumed), joiner, JoinWindows.ofTimeDifferenceAndGrace(p.window, p.grace)).to('out', produced),
  'fk-inner': (b) =>
    b
      .table('left', consumed)
      .join(b.table('right', consumed), (v) => fk(v), joiner)
      .toStream()
      .to('out', produced),
  'fk-left': (b) =>
    b
      .table('left', consumed)
      .leftJoin(b.table('right', consumed), (v) => fk(v), joiner)
      .toStream()
      .to('out', produced),
  punctuate: (b, p) =>
    left(b)
      .process((): Processor<string, string | null, string, string> => {
        let context: ProcessorContext<string, string>;
        let seen = 0;
        return {
          init: (c) => {
            context = c;
            c.schedule(p.window, 'stream-time', (ts) => context.forward({ key: 'P', value: `seen=${seen}`, timestamp: ts, headers: [] } as never));
          },
          process: (record) => {
            seen += 1;
            context.forward({ ...record, value: record.value === null ? 'nil' : `${record.value}#${seen}` });
          },
        };
      })
      .to('out', produced),
};

/** The topologies that read a `right` topic besides `left`. */
export const readsRight = (id: string): boolean => /^(stream-table|stream-global|table-table|stream-stream|fk)-/.test(id);

export function buildTopology(id: string, params: TopologyParams): Topology {
  const build = TOPOLOGIES[id];
  if (build === undefined) throw new TypeError(`unknown topology ${id}`);
  const builder = new StreamsBuilder();
  build(builder, params);
  return builder.build();
}
