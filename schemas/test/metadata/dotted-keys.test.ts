import { expect } from 'chai';
import fc from 'fast-check';
import { assertMetadataKey, flattenMetadata, unflattenMetadata } from '../../src/metadata/dotted-keys.js';
import { isJsonObject } from '../../src/json-value.js';
import { metadataDocumentArb } from '../helpers.js';

describe('Schemas > Metadata > dotted keys', () => {
  it('round-trips every document through dotted keys', () => {
    fc.assert(
      fc.property(metadataDocumentArb, (document) => {
        expect(unflattenMetadata(flattenMetadata(document))).to.deep.equal(document);
      }),
    );
  });

  it('flattens to valid dotted keys whose values are leaves', () => {
    fc.assert(
      fc.property(metadataDocumentArb, (document) => {
        for (const { key, value } of flattenMetadata(document)) {
          expect(() => assertMetadataKey(key)).not.to.throw();
          if (isJsonObject(value)) expect(Object.keys(value)).to.have.length(0);
        }
      }),
    );
  });

  it('flattens nested objects to dotted keys, keeping arrays and empty objects whole', () => {
    const fields = flattenMetadata({ contact: { display_name: 'Ada', tags: ['a', 'b'], extra: {} }, n: 1 });
    expect(fields).to.deep.equal([
      { key: 'contact.display_name', value: 'Ada' },
      { key: 'contact.tags', value: ['a', 'b'] },
      { key: 'contact.extra', value: {} },
      { key: 'n', value: 1 },
    ]);
  });

  it('flattens a document of any depth without overflowing the stack (issue 9)', () => {
    let document: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 50_000; i += 1) document = { a: document };
    const fields = flattenMetadata(document as never);
    expect(fields).to.have.length(1);
    expect(fields[0]!.key).to.equal(`${'a.'.repeat(50_000)}leaf`);
  });

  it('writes under a prefix', () => {
    expect(flattenMetadata({ erp: { id: 'x' } }, 'user_data')).to.deep.equal([{ key: 'user_data.erp.id', value: 'x' }]);
  });

  it('rejects empty keys and keys with dots with a RangeError', () => {
    expect(() => flattenMetadata({ 'a.b': 1 })).to.throw(RangeError);
    expect(() => flattenMetadata({ a: { '': 1 } })).to.throw(RangeError);
    expect(() => flattenMetadata({ a: 1 }, 'x.')).to.throw(RangeError);
    expect(() => unflattenMetadata([{ key: '.a', value: 1 }])).to.throw(RangeError);
    expect(() => assertMetadataKey(3 as unknown as string)).to.throw(TypeError);
  });

  it('lets a later field win where paths conflict', () => {
    expect(unflattenMetadata([{ key: 'a.b', value: 1 }, { key: 'a', value: 'x' }])).to.deep.equal({ a: 'x' });
    expect(unflattenMetadata([{ key: 'a', value: 'x' }, { key: 'a.b', value: 1 }])).to.deep.equal({ a: { b: 1 } });
    expect(unflattenMetadata([{ key: 'a', value: { c: 2 } }, { key: 'a.b', value: 1 }])).to.deep.equal({ a: { c: 2, b: 1 } });
  });

  it('never changes the objects it is given', () => {
    const value = { c: 2 };
    unflattenMetadata([{ key: 'a', value }, { key: 'a.b', value: 1 }]);
    expect(value).to.deep.equal({ c: 2 });
  });

  it('keeps __proto__ an ordinary key instead of changing prototypes', () => {
    const document = unflattenMetadata([{ key: '__proto__.polluted', value: true }]);
    expect(Object.getPrototypeOf(document)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(Object.keys(document)).to.deep.equal(['__proto__']);
    expect(flattenMetadata(document)).to.deep.equal([{ key: '__proto__.polluted', value: true }]);
  });
});
