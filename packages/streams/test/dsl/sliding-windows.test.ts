import { expect } from 'chai';
import { SlidingWindows } from '../../src/dsl/sliding-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { WindowedSerdes } from '../../src/dsl/windowed-serdes.js';
import { runWindowed, str } from './windowed-helpers.js';

/*
 * Golden vectors for sliding windows (KIP-450; streams-semantics §1.4: windows aligned to record
 * timestamps, both bounds inclusive), caching off. Expected rows are worked through Kafka's
 * KStreamSlidingWindowAggregate: each record gets its left window [t - d, t]; a record's right
 * window [t + 1, t + 1 + d] exists once a later record falls into it; records earlier than d
 * share [0, d]; every window holds exactly the records inside its bounds. Lateness: a record is
 * dropped when t + 1 + d <= observed - grace; a window is updated while end >= observed - grace.
 */
describe('DSL > SlidingWindows', () => {
  it('creates left and right windows as records arrive, in and out of order (d = 10, grace 20)', async () => {
    const { rows, dropped } = await runWindowed(
      (s, onDropped) => s.groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 20)).count({ onDropped }).toStream(),
      WindowedSerdes.timeWindowed(str, 10),
      [['a', 0, 10], ['a', 0, 15], ['a', 0, 30], ['a', 0, 12], ['a', 0, 5], ['a', 0, 45], ['a', 0, 12]],
    );
    expect(rows).to.deep.equal([
      // t=10: its left window.
      ['a', 0, 10, 1, 10],
      // t=15: the right window of 10 ([11,21] = {15}), then its own left window {10,15}.
      ['a', 11, 21, 1, 15],
      ['a', 5, 15, 2, 15],
      // t=30: nothing within 10 before it: a fresh left window.
      ['a', 20, 30, 1, 30],
      // t=12 (out of order): updates [11,21] and [5,15] (newest first, as Kafka Streams 3.9.2
      // does: checked with its TopologyTestDriver), creates its left window {10,12} and its
      // right window [13,23] = {15} from [11,21]'s previous content.
      ['a', 11, 21, 2, 15],
      ['a', 5, 15, 3, 15],
      ['a', 2, 12, 2, 12],
      ['a', 13, 23, 1, 15],
      // t=5 (earlier than d): updates [2,12] and [5,15], creates its right window [6,16] =
      // {10,12,15}, and joins the shared early window [0,10] = {5,10}.
      ['a', 2, 12, 3, 12],
      ['a', 5, 15, 4, 15],
      ['a', 6, 16, 3, 15],
      ['a', 0, 10, 2, 10],
      ['a', 35, 45, 1, 45],
      // The last t=12: observed 45, close 25 >= 12 + 1 + 10: late.
    ]);
    expect(dropped.map((d) => [d.reason, d.timestamp])).to.deep.equal([['late', 12]]);
  });

  it('skips null keys and null values (as Kafka does for sliding windows)', async () => {
    const { rows, dropped } = await runWindowed(
      (s, onDropped) => s.groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(10)).count({ onDropped }).toStream(),
      WindowedSerdes.timeWindowed(str, 10),
      [['a', 1, 20], [null, 1, 21], ['a', null, 22]],
    );
    expect(rows).to.deep.equal([['a', 10, 20, 1, 20]]);
    expect(dropped.map((d) => d.reason)).to.deep.equal(['null-key', 'null-value']);
  });

  it("emitStrategy('onWindowClose') emits each window once after observed - grace passes its end", async () => {
    const { rows } = await runWindowed(
      (s) => s.groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(10)).emitStrategy('onWindowClose').count().toStream(),
      WindowedSerdes.timeWindowed(str, 10),
      [['a', 0, 20], ['a', 0, 25], ['a', 0, 40], ['a', 0, 60]],
    );
    expect(rows).to.deep.equal([
      // t=40: close 40 passes the ends 20, 25 and 31 of [10,20], [15,25] and [21,31].
      ['a', 10, 20, 1, 20],
      ['a', 15, 25, 2, 25],
      ['a', 21, 31, 1, 25],
      // t=60: close 60 passes [30,40]'s end.
      ['a', 30, 40, 1, 40],
    ]);
  });

  it('rejects bad definitions and a retention shorter than twice the difference plus grace', () => {
    expect(() => SlidingWindows.ofTimeDifferenceWithNoGrace(0)).to.throw(RangeError);
    expect(() => SlidingWindows.ofTimeDifferenceAndGrace(10, -5)).to.throw(RangeError);
    const windowed = new StreamsBuilder().stream('in', { keySerde: str, valueSerde: str }).groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5));
    expect(() => windowed.count({ materialized: { retentionMs: 25 } })).to.throw(RangeError);
    expect(() => windowed.count({ materialized: { retentionMs: 26 } })).not.to.throw();
  });
});
