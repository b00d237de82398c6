import { expect } from 'chai';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/serdes.js';
import { decodesOrFailsWith, expectStreamsError } from './serde-test-helpers.js';

/** JSON has no -0: it is written as 0. */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(copy, k, { value: withoutNegativeZero(v), enumerable: true });
    }
    return copy;
  }
  return value;
}

describe('Serde > Json', () => {
  const serde = Serdes.json<unknown>();

  it('round-trips arbitrary JSON values', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => v !== null),
        (value) => {
          expect(serde.deserialize(serde.serialize(value))).to.deep.equal(withoutNegativeZero(value));
        },
      ),
    );
  });

  it('writes JSON text in UTF-8', () => {
    expect(serde.serialize({ a: ['é', 1] }).toString('utf8')).to.equal('{"a":["é",1]}');
  });

  it('treats a top-level null as a tombstone, not as the text "null"', () => {
    expect(serde.serialize(null)).to.equal(null);
    expect(serde.deserialize(Buffer.from('null'))).to.equal(null);
  });

  it('refuses a circular object with STREAMS_SERDE_ENCODE, keeping the TypeError as cause', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const err = expectStreamsError(() => serde.serialize(circular, 't'), 'STREAMS_SERDE_ENCODE');
    expect(err.cause).to.be.instanceOf(TypeError);
  });

  for (const [name, value] of [
    ['a bigint', 1n],
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
  ] as const) {
    it(`refuses ${name} with STREAMS_SERDE_ENCODE`, () => {
      expectStreamsError(() => serde.serialize(value), 'STREAMS_SERDE_ENCODE');
    });
  }

  for (const text of ['', '{', '{"a":}', 'undefined', "{'a':1}", '\uFEFF{}']) {
    it(`refuses ${JSON.stringify(text)} with STREAMS_SERDE_DECODE`, () => {
      expectStreamsError(() => serde.deserialize(Buffer.from(text, 'utf8'), 't'), 'STREAMS_SERDE_DECODE');
    });
  }

  it('decodes random bytes to a value or fails with STREAMS_SERDE_DECODE, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) =>
        decodesOrFailsWith(() => serde.deserialize(Buffer.from(bytes)), ['STREAMS_SERDE_DECODE']),
      ),
    );
  });
});
