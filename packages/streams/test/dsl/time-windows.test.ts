import { expect } from 'chai';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import { WindowedSerdes } from '../../src/dsl/windowed-serdes.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { long, runWindowed, str } from './windowed-helpers.js';

/*
 * Golden vectors for tumbling and hopping windows, caching off. Expected rows follow Kafka's
 * documented semantics (docs/streams/core-concepts.html "Time", developer-guide/dsl-api.html
 * "Windowing"; streams-semantics §1.4): windows are epoch-aligned [start, end); a record updates
 * each window containing it while the window's end is after `observed stream time - grace`,
 * else it is late for that window and dropped; a window's result carries the highest timestamp
 * of its records; with emitStrategy('onWindowClose') (KIP-825) each window is emitted once, when
 * `observed - grace` reaches its end.
 */
describe('DSL > TimeWindows', () => {
  it('tumbling windows with grace: out-of-order records within grace update, later ones are dropped', async () => {
    const { rows, dropped } = await runWindowed(
      (s, onDropped) => s.groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).count({ onDropped }).toStream(),
      WindowedSerdes.timeWindowed(str, 10),
      [['a', 0, 1], ['a', 0, 12], ['a', 0, 8], ['a', 0, 16], ['a', 0, 9], ['a', 0, 30], ['a', 0, 19]],
    );
    expect(rows).to.deep.equal([
      ['a', 0, 10, 1, 1],
      ['a', 10, 20, 1, 12],
      // t=8: observed 12, close 7 < end 10: accepted; timestamp max(8, 1).
      ['a', 0, 10, 2, 8],
      ['a', 10, 20, 2, 16],
      // t=9: observed 16, close 11 >= end 10: late. t=19 after t=30: close 25 >= end 20: late.
      ['a', 30, 40, 1, 30],
    ]);
    expect(dropped.map((d) => [d.reason, d.timestamp, d.window])).to.deep.equal([
      ['late', 9, { start: 0, end: 10 }],
      ['late', 19, { start: 10, end: 20 }],
    ]);
  });

  it('hopping windows: a record updates every window containing it; lateness is per window', async () => {
    const { rows, dropped } = await runWindowed(
      (s, onDropped) => s.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5)).count({ onDropped }).toStream(),
      WindowedSerdes.timeWindowed(str, 10),
      [['a', 0, 3], ['a', 0, 7], ['a', 0, 12], ['a', 0, 9]],
    );
    expect(rows).to.deep.equal([
      // No windows start before 0, so t=3 is only in [0,10).
      ['a', 0, 10, 1, 3],
      ['a', 0, 10, 2, 7],
      ['a', 5, 15, 1, 7],
      ['a', 5, 15, 2, 12],
      ['a', 10, 20, 1, 12],
      // t=9 after t=12 (no grace): [0,10) ended at 10 <= 12, late; [5,15) still open.
      ['a', 5, 15, 3, 12],
    ]);
    expect(dropped.map((d) => d.window)).to.deep.equal([{ start: 0, end: 10 }]);
  });

  it('keys have their own windows; null keys are dropped, null values are counted (as in Kafka)', async () => {
    const { rows, dropped } = await runWindowed(
      (s, onDropped) => s.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(100)).count({ onDropped }).toStream(),
      WindowedSerdes.timeWindowed(str, 100),
      [['a', 1, 1], ['b', 1, 2], [null, 1, 3], ['a', null, 4]],
    );
    expect(rows.map((r) => [r[0], r[3]])).to.deep.equal([['a', 1], ['b', 1], ['a', 2]]);
    expect(dropped.map((d) => d.reason)).to.deep.equal(['null-key']);
  });

  it("emitStrategy('onWindowClose') emits each window's final result once, when observed - grace reaches its end", async () => {
    const { rows } = await runWindowed(
      (s) => s.groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).emitStrategy('onWindowClose').count().toStream(),
      WindowedSerdes.timeWindowed(str, 10),
      [['a', 0, 1], ['a', 0, 12], ['a', 0, 8], ['b', 0, 14], ['a', 0, 16], ['a', 0, 9], ['a', 0, 30], ['a', 0, 19]],
    );
    expect(rows).to.deep.equal([
      // t=16: close 11 reaches end 10 of [0,10) (both keys' windows of that range, by key).
      ['a', 0, 10, 2, 8],
      // t=30: close 25 reaches end 20 of [10,20).
      ['a', 10, 20, 2, 16],
      ['b', 10, 20, 1, 14],
    ]);
  });

  it('reduce and aggregate fold per window; aggregate needs a value serde', async () => {
    const reduced = await runWindowed(
      (s) => s.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).reduce((a, b) => a * 10 + b, { materialized: { valueSerde: long } }).toStream(),
      WindowedSerdes.timeWindowed(str, 10),
      [['a', 1, 1], ['a', 2, 2], ['a', 4, 11]],
    );
    expect(reduced.rows.map((r) => [r[1], r[3]])).to.deep.equal([[0, 1], [0, 12], [10, 4]]);
    const summed = await runWindowed(
      (s) => s.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).aggregate(() => 100, (_k, v, sum) => sum + v, { materialized: { valueSerde: long } }).toStream(),
      WindowedSerdes.timeWindowed(str, 10),
      [['a', 1, 1], ['a', 2, 2], ['a', 4, 11]],
    );
    expect(summed.rows.map((r) => [r[1], r[3]])).to.deep.equal([[0, 101], [0, 103], [10, 104]]);
    const grouped = new StreamsBuilder().stream('in', { keySerde: str, valueSerde: long }).groupByKey();
    expect(() => grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10)).aggregate(() => 0, (_k, v, n) => n + v, {})).to.throw(TypeError);
  });

  it('rejects bad window definitions and a retention shorter than size + grace', () => {
    expect(() => TimeWindows.ofSizeWithNoGrace(0)).to.throw(RangeError);
    expect(() => TimeWindows.ofSizeAndGrace(10, -1)).to.throw(RangeError);
    expect(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(11)).to.throw(RangeError);
    expect(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(0)).to.throw(RangeError);
    expect(() => TimeWindows.ofSizeWithNoGrace('10' as never)).to.throw(TypeError);
    const windowed = new StreamsBuilder().stream('in', { keySerde: str, valueSerde: long }).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5));
    expect(() => windowed.count({ materialized: { retentionMs: 14 } })).to.throw(RangeError);
    expect(() => windowed.emitStrategy('onClose' as never)).to.throw(TypeError);
  });

  it('windowsFor lists the epoch-aligned windows containing a timestamp', () => {
    expect(TimeWindows.ofSizeWithNoGrace(10).advanceBy(3).windowsFor(10)).to.deep.equal([
      { start: 3, end: 13 },
      { start: 6, end: 16 },
      { start: 9, end: 19 },
    ]);
  });
});
