import { expect } from 'chai';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { decodeWindowKey, encodeWindowKey } from '../../src/state/internals/window-key.js';

describe('State > WindowKey', () => {
  it('appends the window start as 8 big-endian bytes', () => {
    expect(encodeWindowKey(Buffer.from('k'), 2 ** 32 + 1).toString('hex')).to.equal('6b' + '0000000100000001');
  });

  it('decodes what it encodes, for any key and any start up to 2^53 - 1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (bytes, start) => {
        const decoded = decodeWindowKey(encodeWindowKey(Buffer.from(bytes), start));
        expect(decoded.windowStart).to.equal(start);
        expect(decoded.key.equals(Buffer.from(bytes))).to.equal(true);
      }),
    );
  });

  it('orders the windows of one key by start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (x, y) => {
        const order = Buffer.compare(encodeWindowKey(Buffer.from('k'), x), encodeWindowKey(Buffer.from('k'), y));
        expect(order).to.equal(Math.sign(x - y));
      }),
    );
  });
});
