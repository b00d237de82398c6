import { expect } from 'chai';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { WindowedSerdes } from '../../src/dsl/windowed-serdes.js';
import { long, runWindowed, str } from './windowed-helpers.js';

/*
 * Golden vectors for session windows (streams-semantics §1.4; Kafka's dsl-api.html "Session
 * Windows": records of a key at most `gap` apart form one session [first, last]; out-of-order
 * records can merge sessions), caching off. Rows follow Kafka's KStreamSessionWindowAggregate:
 * a record merges every session ending at or after t - gap and starting at or before t + gap;
 * each merged-away session is forwarded as a tombstone, then the new session (timestamps: the
 * sessions' ends). A record is late when its merged session ends before observed - grace - gap.
 */
describe('DSL > SessionWindows', () => {
  it('merges sessions, also across out-of-order records, and drops late ones (gap 5, grace 20)', async () => {
    const { rows, dropped } = await runWindowed(
      (s, onDropped) => s.groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 20)).count({ onDropped }).toStream(),
      WindowedSerdes.sessionWindowed(str),
      [['a', 0, 0], ['a', 0, 3], ['a', 0, 20], ['a', 0, 12], ['a', 0, 16], ['a', 0, 7], ['a', 0, 50], ['b', 0, 1], ['a', 0, 22]],
    );
    expect(rows).to.deep.equal([
      ['a', 0, 0, 1, 0],
      // t=3 extends [0,0]: tombstone for the old session, then the merged one.
      ['a', 0, 0, null, 0],
      ['a', 0, 3, 2, 3],
      ['a', 20, 20, 1, 20],
      // t=12 (out of order): more than 5 from both neighbours, a session of its own.
      ['a', 12, 12, 1, 12],
      // t=16 bridges [12,12] and [20,20].
      ['a', 12, 12, null, 12],
      ['a', 20, 20, null, 20],
      ['a', 12, 20, 3, 20],
      // t=7 bridges [0,3] and [12,20].
      ['a', 0, 3, null, 3],
      ['a', 12, 20, null, 20],
      ['a', 0, 20, 6, 20],
      ['a', 50, 50, 1, 50],
      // Now close time is 50 - 20 - 5 = 25. b@1 would end at 1 < 25: late. a@22 is within the
      // gap of [0,20], but that session is closed (20 < 25), so a@22 stands alone and is late.
    ]);
    expect(dropped.map((d) => [d.reason, d.key, d.window])).to.deep.equal([
      ['late', 'b', { start: 1, end: 1 }],
      ['late', 'a', { start: 22, end: 22 }],
    ]);
  });

  it("emitStrategy('onWindowClose') emits each closed session once, never a session merged away", async () => {
    const { rows } = await runWindowed(
      (s) => s.groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5)).emitStrategy('onWindowClose').count().toStream(),
      WindowedSerdes.sessionWindowed(str),
      [['a', 0, 0], ['a', 0, 4], ['b', 0, 10], ['a', 0, 12], ['b', 0, 14], ['a', 0, 30]],
    );
    expect(rows).to.deep.equal([
      // b@10: close 5 (10 - gap 5): a's [0,4] ended before it.
      ['a', 0, 4, 2, 4],
      // a@30: close 25: sessions ending in [7, 24], by end.
      ['a', 12, 12, 1, 12],
      ['b', 10, 14, 2, 14],
    ]);
  });

  it('aggregate merges sessions with the merger; reduce combines values', async () => {
    const aggregated = await runWindowed(
      (s) =>
        s
          .groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 10))
          .aggregate(
            () => 0,
            (_k, v, sum) => sum + v,
            (_k, left, right) => left + right,
            { materialized: { valueSerde: long } },
          )
          .toStream(),
      WindowedSerdes.sessionWindowed(str),
      [['a', 1, 0], ['a', 10, 10], ['a', 100, 5]],
    );
    expect(aggregated.rows.filter((r) => r[3] !== null).map((r) => [r[1], r[2], r[3]])).to.deep.equal([[0, 0, 1], [10, 10, 10], [0, 10, 111]]);
    const reduced = await runWindowed(
      (s) => s.groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5)).reduce((a, b) => Math.max(a, b), { materialized: { valueSerde: long } }).toStream(),
      WindowedSerdes.sessionWindowed(str),
      [['a', 3, 0], ['a', 9, 2], ['a', 4, 4]],
    );
    expect(reduced.rows.filter((r) => r[3] !== null).map((r) => r[3])).to.deep.equal([3, 9, 9]);
  });

  it('rejects bad definitions and a retention shorter than gap + grace', () => {
    expect(() => SessionWindows.ofInactivityGapWithNoGrace(0)).to.throw(RangeError);
    expect(() => SessionWindows.ofInactivityGapAndGrace(5, 1.5)).to.throw(RangeError);
    const windowed = new StreamsBuilder().stream('in', { keySerde: str, valueSerde: str }).groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 5));
    expect(() => windowed.count({ materialized: { retentionMs: 9 } })).to.throw(RangeError);
    expect(() => windowed.reduce((a, b) => a + b, { materialized: { retentionMs: 10 } })).not.to.throw();
  });
});
