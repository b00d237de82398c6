import { expect } from 'chai';
import fc from 'fast-check';
import { decodeMetadataValue, encodeMetadataValue } from '../../src/metadata/metadata-value.js';
import { jsonValue } from '../helpers.js';

describe('Schemas > Metadata > values', () => {
  it('decodes every encoded JSON value to an equal value', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(decodeMetadataValue(encodeMetadataValue(value))).to.deep.equal(value);
      }),
    );
  });

  it('names the value type after the kind of value', () => {
    expect(encodeMetadataValue('42')).to.deep.equal({ value: '42', valueType: 'TEXT' });
    expect(encodeMetadataValue(42)).to.deep.equal({ value: '42', valueType: 'NUMBER' });
    expect(encodeMetadataValue(false)).to.deep.equal({ value: 'false', valueType: 'BOOLEAN' });
    expect(encodeMetadataValue(null)).to.deep.equal({ value: '', valueType: 'NULL' });
    expect(encodeMetadataValue([1])).to.deep.equal({ value: '[1]', valueType: 'ARRAY' });
    expect(encodeMetadataValue({ a: 1 })).to.deep.equal({ value: '{"a":1}', valueType: 'OBJECT' });
  });

  it('keeps integers integers', () => {
    const decoded = decodeMetadataValue(encodeMetadataValue(42));
    expect(decoded).to.equal(42);
    expect(String(decoded)).to.equal('42');
  });

  it('rejects non-finite numbers with a RangeError and non-JSON values with a TypeError', () => {
    expect(() => encodeMetadataValue(Number.NaN)).to.throw(RangeError);
    expect(() => encodeMetadataValue(Number.POSITIVE_INFINITY)).to.throw(RangeError);
    expect(() => encodeMetadataValue(undefined as never)).to.throw(TypeError);
  });

  it('returns the text of a value that does not parse as its type, instead of throwing', () => {
    expect(decodeMetadataValue({ value: 'abc', valueType: 'NUMBER' })).to.equal('abc');
    expect(decodeMetadataValue({ value: 'yes', valueType: 'BOOLEAN' })).to.equal('yes');
    expect(decodeMetadataValue({ value: '{"a":1}', valueType: 'ARRAY' })).to.equal('{"a":1}');
    expect(decodeMetadataValue({ value: '[1]', valueType: 'OBJECT' })).to.equal('[1]');
    expect(decodeMetadataValue({ value: 'x', valueType: 'FUTURE' as never })).to.equal('x');
  });
});
