import { expect } from 'chai';
import fc from 'fast-check';
import { ChangeSerde } from '../../src/dsl/internals/tables/change-serde.js';
import { WindowedSerdes } from '../../src/dsl/windowed-serdes.js';
import type { StreamsError } from '../../src/errors.js';
import { Serdes } from '../../src/serde/serdes.js';

const str = Serdes.string();
const time = fc.nat({ max: Number.MAX_SAFE_INTEGER - 1000 });

describe('DSL > Windowed serdes', () => {
  it('time-windowed keys round-trip as key bytes + 8-byte start, the end restored from the window size', () => {
    fc.assert(
      fc.property(fc.string(), time, fc.integer({ min: 1, max: 1000 }), (key, start, size) => {
        const serde = WindowedSerdes.timeWindowed(str, size);
        const bytes = serde.serialize({ key, window: { start, end: start + size } });
        expect(bytes.subarray(0, bytes.length - 8).toString()).to.equal(key);
        expect(Number(bytes.readBigUInt64BE(bytes.length - 8))).to.equal(start);
        expect(serde.deserialize(bytes)).to.deep.equal({ key, window: { start, end: start + size } });
      }),
    );
  });

  it("session-windowed keys round-trip as key bytes + end + start (Kafka's session key layout)", () => {
    fc.assert(
      fc.property(fc.string(), time, fc.nat({ max: 1000 }), (key, start, length) => {
        const serde = WindowedSerdes.sessionWindowed(str);
        const window = { start, end: start + length };
        const bytes = serde.serialize({ key, window });
        expect(Number(bytes.readBigUInt64BE(bytes.length - 16))).to.equal(window.end);
        expect(serde.deserialize(bytes)).to.deep.equal({ key, window });
      }),
    );
  });

  it('too-short windowed keys fail with STREAMS_SERDE_DECODE', () => {
    for (const serde of [WindowedSerdes.timeWindowed(str, 5), WindowedSerdes.sessionWindowed(str)]) {
      expect(() => serde.deserialize(Buffer.alloc(7))).to.throw().with.property('code', 'STREAMS_SERDE_DECODE');
    }
    expect(() => WindowedSerdes.timeWindowed(str, -1)).to.throw(RangeError);
  });

  it('the change serde of the KTable.groupBy repartition topic round-trips every combination of old and new', () => {
    const serde = new ChangeSerde(str);
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: null }), fc.option(fc.string(), { nil: null }), (newValue, oldValue) => {
        expect(serde.deserialize(serde.serialize({ newValue, oldValue }))).to.deep.equal({ newValue, oldValue });
      }),
    );
    let caught: StreamsError | undefined;
    try {
      serde.deserialize(Buffer.from([1, 0, 0, 0, 9, 65]));
    } catch (err) {
      caught = err as StreamsError;
    }
    expect(caught?.code).to.equal('STREAMS_SERDE_DECODE');
  });

  it('Serdes.long writes numbers as 8-byte longs and refuses unsafe integers', () => {
    const long = Serdes.long();
    expect(long.serialize(258).equals(Buffer.from([0, 0, 0, 0, 0, 0, 1, 2]))).to.equal(true);
    expect(long.deserialize(long.serialize(-5))).to.equal(-5);
    expect(() => long.serialize(2 ** 53)).to.throw().with.property('code', 'STREAMS_SERDE_ENCODE');
    expect(() => long.deserialize(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).to.throw().with.property('code', 'STREAMS_SERDE_DECODE');
  });
});
