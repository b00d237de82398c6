import { expect } from 'chai';
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { Serdes } from '../../src/serde/serdes.js';
import { expectStreamsError } from './serde-test-helpers.js';

describe('Serde > String', () => {
  const lenient = Serdes.string();
  const strict = Serdes.string({ strict: true });

  it('round-trips any well-formed string, lenient or strict', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(lenient.deserialize(lenient.serialize(text))).to.equal(text);
        expect(strict.deserialize(strict.serialize(text))).to.equal(text);
      }),
    );
  });

  it('writes UTF-8 bytes', () => {
    expect([...lenient.serialize('hé€😀')]).to.deep.equal([
      0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80,
    ]);
  });

  it('keeps a leading byte order mark instead of stripping it', () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x61]);
    expect(lenient.deserialize(bytes)).to.equal('\uFEFFa');
    expect(strict.deserialize(bytes)).to.equal('\uFEFFa');
  });

  it('replaces invalid UTF-8 with U+FFFD when lenient (the default, as Kafka does)', () => {
    expect(lenient.deserialize(Buffer.from([0x61, 0xff, 0x62]))).to.equal('a\uFFFDb');
  });

  it('rejects invalid UTF-8 with STREAMS_SERDE_DECODE when strict', () => {
    expectStreamsError(() => strict.deserialize(Buffer.from([0x61, 0xc3])), 'STREAMS_SERDE_DECODE');
    expectStreamsError(() => strict.deserialize(Buffer.from([0xed, 0xa0, 0x80])), 'STREAMS_SERDE_DECODE');
  });

  it('decodes arbitrary bytes strictly to the exact same bytes or fails with STREAMS_SERDE_DECODE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        const bytes = Buffer.from(raw);
        if (isUtf8(bytes)) {
          expect(Buffer.from(strict.deserialize(bytes), 'utf8').equals(bytes)).to.equal(true);
        } else {
          expectStreamsError(() => strict.deserialize(bytes), 'STREAMS_SERDE_DECODE');
        }
      }),
    );
  });

  it('rejects a lone surrogate with STREAMS_SERDE_ENCODE when strict, and encodes it as U+FFFD when lenient', () => {
    expectStreamsError(() => strict.serialize('a\uD800'), 'STREAMS_SERDE_ENCODE');
    expect(lenient.deserialize(lenient.serialize('a\uD800'))).to.equal('a\uFFFD');
  });

  for (const [name, value] of [
    ['a number', 42],
    ['an object', {}],
    ['undefined', undefined],
    ['a Buffer', Buffer.from('x')],
  ] as const) {
    it(`refuses to encode ${name} with STREAMS_SERDE_ENCODE`, () => {
      expectStreamsError(() => lenient.serialize(value as unknown as string, 't'), 'STREAMS_SERDE_ENCODE');
    });
  }
});
