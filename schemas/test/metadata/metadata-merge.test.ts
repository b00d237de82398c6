import { expect } from 'chai';
import fc from 'fast-check';
import { isJsonObject, type JsonValue } from '../../src/json-value.js';
import { metadataDocument } from '../../src/metadata/metadata-document.js';
import {
  compareMetadataChanges,
  isMetadataTombstone,
  mergeMetadata,
  type MetadataChange,
  type MetadataState,
} from '../../src/metadata/metadata-merge.js';
import { metadataChange } from '../helpers.js';

/** The state as plain data, in key order, for comparison. */
function normalized(state: MetadataState): Array<[string, MetadataChange]> {
  return [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** True when the document has a value at dotted `key`. */
function hasPath(document: JsonValue, key: string): boolean {
  let node: JsonValue = document;
  for (const segment of key.split('.')) {
    if (!isJsonObject(node) || !Object.hasOwn(node, segment)) return false;
    node = node[segment]!;
  }
  return true;
}

const changes = fc.array(metadataChange(), { maxLength: 20 });

describe('Schemas > Metadata > merge', () => {
  it('gives the same state and document whatever order the changes arrive in', () => {
    fc.assert(
      fc.property(changes.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))), ([list, shuffled]) => {
        const a = mergeMetadata(list);
        const b = mergeMetadata(shuffled);
        expect(normalized(b)).to.deep.equal(normalized(a));
        expect(metadataDocument(b)).to.deep.equal(metadataDocument(a));
      }),
    );
  });

  it('gives the same state however the changes are batched', () => {
    fc.assert(
      fc.property(changes, fc.nat(), (list, cut) => {
        const at = list.length === 0 ? 0 : cut % list.length;
        const batched = mergeMetadata(list.slice(at), mergeMetadata(list.slice(0, at)));
        expect(normalized(batched)).to.deep.equal(normalized(mergeMetadata(list)));
      }),
    );
  });

  it('keeps, per key, a change that wins over every change of that key', () => {
    fc.assert(
      fc.property(changes, (list) => {
        const state = mergeMetadata(list);
        expect([...state.keys()].sort()).to.deep.equal([...new Set(list.map((c) => c.key))].sort());
        for (const change of list) expect(compareMetadataChanges(state.get(change.key)!, change)).to.be.at.least(0);
      }),
    );
  });

  it('returns the same state object when nothing wins, and never modifies its base', () => {
    fc.assert(
      fc.property(changes, changes, (first, second) => {
        const base = mergeMetadata(first);
        const before = normalized(base);
        expect(mergeMetadata(base.values(), base)).to.equal(base);
        mergeMetadata(second, base);
        expect(normalized(base)).to.deep.equal(before);
      }),
    );
  });

  it('lets a later timestamp win regardless of arrival order', () => {
    const older = { key: 'state', value: 'OPEN', valueType: 'TEXT', timestamp: 1 } as const;
    const newer = { key: 'state', value: 'CLOSED', valueType: 'TEXT', timestamp: 2 } as const;
    expect(metadataDocument(mergeMetadata([newer, older]))).to.deep.equal({ state: 'CLOSED' });
    expect(metadataDocument(mergeMetadata([older, newer]))).to.deep.equal({ state: 'CLOSED' });
  });

  it('rejects a change without a finite timestamp with a TypeError', () => {
    expect(() => mergeMetadata([{ key: 'a', value: null, timestamp: Number.NaN }])).to.throw(TypeError);
  });
});

describe('Schemas > Metadata > merge > tombstones', () => {
  // Keys with no prefix relation, so each maps to its own leaf of the document.
  const keys = ['x', 'y', 'z.w'];
  const independent = fc.array(metadataChange(keys), { maxLength: 20 });

  it('delete a key exactly when the winning change is a tombstone', () => {
    fc.assert(
      fc.property(independent, (list) => {
        const state = mergeMetadata(list);
        const document = metadataDocument(state);
        for (const key of new Set(list.map((c) => c.key))) {
          expect(hasPath(document, key), key).to.equal(!isMetadataTombstone(state.get(key)!));
        }
      }),
    );
  });

  it('are not undone by an older value that arrives after them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (valueTime, extra) => {
        const value = { key: 'x', value: 'v', valueType: 'TEXT', timestamp: valueTime } as const;
        const tombstone = { key: 'x', value: null, timestamp: valueTime + extra } as const;
        expect(metadataDocument(mergeMetadata([value], mergeMetadata([tombstone])))).to.deep.equal({});
        expect(metadataDocument(mergeMetadata([tombstone], mergeMetadata([value])))).to.deep.equal({});
      }),
    );
  });

  it('are overridden by a newer value', () => {
    const tombstone = { key: 'x', value: null, timestamp: 5 } as const;
    const value = { key: 'x', value: 'back', valueType: 'TEXT', timestamp: 6 } as const;
    expect(metadataDocument(mergeMetadata([value, tombstone]))).to.deep.equal({ x: 'back' });
  });

  it('win a tie with a value of the same millisecond', () => {
    const value = { key: 'x', value: 'v', valueType: 'TEXT', timestamp: 5 } as const;
    const tombstone = { key: 'x', value: null, timestamp: 5 } as const;
    expect(compareMetadataChanges(tombstone, value)).to.be.greaterThan(0);
    expect(compareMetadataChanges(value, tombstone)).to.be.lessThan(0);
  });
});

describe('Schemas > Metadata > metadataDocument', () => {
  it('nests dotted keys and decodes values by type', () => {
    const state = mergeMetadata([
      { key: 'contact.display_name', value: 'Ada', valueType: 'TEXT', timestamp: 1 },
      { key: 'unread_count', value: '3', valueType: 'NUMBER', timestamp: 1 },
      { key: 'tags.t1', value: '', valueType: 'TEXT', timestamp: 2 },
      { key: 'flags', value: '[true]', valueType: 'ARRAY', timestamp: 2 },
    ]);
    expect(metadataDocument(state)).to.deep.equal({ contact: { display_name: 'Ada' }, unread_count: 3, tags: { t1: '' }, flags: [true] });
  });

  it('lets the newer of a scalar and an object at the same path win', () => {
    const child = { key: 'contact.name', value: 'Ada', valueType: 'TEXT' } as const;
    const scalar = { key: 'contact', value: 'none', valueType: 'TEXT' } as const;
    expect(metadataDocument(mergeMetadata([{ ...scalar, timestamp: 2 }, { ...child, timestamp: 1 }]))).to.deep.equal({ contact: 'none' });
    expect(metadataDocument(mergeMetadata([{ ...scalar, timestamp: 1 }, { ...child, timestamp: 2 }]))).to.deep.equal({ contact: { name: 'Ada' } });
  });
});
