import { expect } from 'chai';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/serdes.js';
import { expectStreamsError } from './serde-test-helpers.js';

function wrongLength(size: number): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ maxLength: 16 }).filter((bytes) => bytes.length !== size);
}

describe('Serde > Int32', () => {
  const serde = Serdes.int32();

  it('writes 4 big-endian bytes, as Kafka IntegerSerializer does', () => {
    expect([...serde.serialize(1)]).to.deep.equal([0, 0, 0, 1]);
    expect([...serde.serialize(-2)]).to.deep.equal([0xff, 0xff, 0xff, 0xfe]);
    expect([...serde.serialize(0x12345678)]).to.deep.equal([0x12, 0x34, 0x56, 0x78]);
  });

  it('round-trips every 32-bit integer', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
      expect(serde.deserialize(serde.serialize(n))).to.equal(n);
    }));
  });

  for (const value of [2 ** 31, -(2 ** 31) - 1, 1.5, Number.NaN, '1']) {
    it(`refuses ${String(value)} (${typeof value}) with STREAMS_SERDE_ENCODE`, () => {
      expectStreamsError(() => serde.serialize(value as number), 'STREAMS_SERDE_ENCODE');
    });
  }

  it('refuses any length other than 4 with STREAMS_SERDE_DECODE', () => {
    fc.assert(fc.property(wrongLength(4), (bytes) => {
      expectStreamsError(() => serde.deserialize(Buffer.from(bytes)), 'STREAMS_SERDE_DECODE');
    }));
  });
});

describe('Serde > Int64', () => {
  const serde = Serdes.int64();

  it('writes 8 big-endian bytes, as Kafka LongSerializer does', () => {
    expect([...serde.serialize(1n)]).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...serde.serialize(-1n)]).to.deep.equal([255, 255, 255, 255, 255, 255, 255, 255]);
    expect([...serde.serialize(2n ** 40n)]).to.deep.equal([0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('round-trips every 64-bit integer exactly', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
      expect(serde.deserialize(serde.serialize(n))).to.equal(n);
    }));
  });

  for (const value of [2n ** 63n, -(2n ** 63n) - 1n, 5, '5']) {
    it(`refuses ${String(value)} (${typeof value}) with STREAMS_SERDE_ENCODE`, () => {
      expectStreamsError(() => serde.serialize(value as bigint), 'STREAMS_SERDE_ENCODE');
    });
  }

  it('refuses any length other than 8 with STREAMS_SERDE_DECODE', () => {
    fc.assert(fc.property(wrongLength(8), (bytes) => {
      expectStreamsError(() => serde.deserialize(Buffer.from(bytes)), 'STREAMS_SERDE_DECODE');
    }));
  });
});

describe('Serde > Float64', () => {
  const serde = Serdes.float64();

  it('writes 8 big-endian IEEE 754 bytes, as Kafka DoubleSerializer does', () => {
    expect([...serde.serialize(1.5)]).to.deep.equal([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]);
    expect([...serde.serialize(-2)]).to.deep.equal([0xc0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('round-trips every double, NaN and -0 included', () => {
    fc.assert(fc.property(fc.double(), (x) => {
      expect(Object.is(serde.deserialize(serde.serialize(x)), x)).to.equal(true);
    }));
  });

  it('refuses a non-number with STREAMS_SERDE_ENCODE', () => {
    expectStreamsError(() => serde.serialize('1.5' as unknown as number), 'STREAMS_SERDE_ENCODE');
    expectStreamsError(() => serde.serialize(1n as unknown as number), 'STREAMS_SERDE_ENCODE');
  });

  it('refuses any length other than 8 with STREAMS_SERDE_DECODE', () => {
    fc.assert(fc.property(wrongLength(8), (bytes) => {
      expectStreamsError(() => serde.deserialize(Buffer.from(bytes)), 'STREAMS_SERDE_DECODE');
    }));
  });
});
