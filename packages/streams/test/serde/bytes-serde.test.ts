import { expect } from 'chai';
import { Serdes } from '../../src/serde/serdes.js';
import { expectStreamsError } from './serde-test-helpers.js';

describe('Serde > Bytes', () => {
  const serde = Serdes.bytes();

  it('hands back the very same Buffer both ways, without copying', () => {
    const bytes = Buffer.from([1, 2, 3]);
    expect(serde.serialize(bytes)).to.equal(bytes);
    expect(serde.deserialize(bytes)).to.equal(bytes);
  });

  it('views a Uint8Array as a Buffer over the same memory', () => {
    const raw = new Uint8Array([9, 8, 7, 6]).subarray(1, 3);
    const out = serde.serialize(raw as Buffer);
    expect(Buffer.isBuffer(out)).to.equal(true);
    expect([...out]).to.deep.equal([8, 7]);
    raw[0] = 42;
    expect(out[0]).to.equal(42);
  });

  it('round-trips an empty buffer', () => {
    expect(serde.deserialize(serde.serialize(Buffer.alloc(0))).length).to.equal(0);
  });

  it('refuses a string with STREAMS_SERDE_ENCODE', () => {
    expectStreamsError(() => serde.serialize('abc' as unknown as Buffer), 'STREAMS_SERDE_ENCODE');
  });
});
