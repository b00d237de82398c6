import { expect } from 'chai';
import fc from 'fast-check';
import { GenerationalCache } from '../../src/state/internals/generational-cache.js';

interface Entry {
  key: string;
  size: number;
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 15 }), size: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 15 }), size: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('resize' as const), key: fc.integer({ min: 0, max: 15 }), size: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 15 }) }),
);

describe('State > GenerationalCache', () => {
  it('keeps its byte count equal to the entries it holds, and evicts only what it no longer holds, for any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 20, max: 300 }), (ops, maxBytes) => {
        const model = new Map<string, Entry>();
        const cache = new GenerationalCache<Entry>(maxBytes, (evicted) => {
          for (const entry of evicted) {
            expect(model.get(entry.key), `evicted ${entry.key} is the entry the model holds`).to.equal(entry);
            model.delete(entry.key);
          }
        });
        for (const o of ops) {
          const key = `k${o.key}`;
          if (o.kind === 'set') {
            const entry = { key, size: o.size };
            model.set(key, entry);
            cache.set(key, entry);
          } else if (o.kind === 'add') {
            // add() is only for keys the caller just missed.
            if (cache.get(key) !== undefined) continue;
            const entry = { key, size: o.size };
            model.set(key, entry);
            cache.add(key, entry);
          } else if (o.kind === 'resize') {
            const entry = cache.get(key);
            if (entry === undefined) continue;
            const previous = entry.size;
            entry.size = o.size;
            cache.resized(key, entry, previous);
          } else if (o.kind === 'get') {
            const found = cache.get(key);
            if (found !== undefined) expect(found).to.equal(model.get(key));
          } else {
            cache.delete(key);
            model.delete(key);
          }
          expect(cache.size, 'entries').to.equal(model.size);
          expect(cache.bytes, 'bytes').to.equal([...model.values()].reduce((sum, e) => sum + e.size, 0));
          for (const [k, entry] of model) expect(cache.get(k), k).to.equal(entry);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('evicts the entries not used for a whole generation once young fills half the budget', () => {
    const evicted: string[] = [];
    const cache = new GenerationalCache<Entry>(100, (entries) => evicted.push(...entries.map((e) => e.key)));
    for (const key of ['a', 'b', 'c']) cache.add(key, { key, size: 20 }); // young 60 > 50: a, b, c become old
    cache.get('a'); // back to young
    for (const key of ['d', 'e']) cache.add(key, { key, size: 20 }); // young 60 again: b and c were not used
    expect(evicted).to.deep.equal(['b', 'c']);
    expect(cache.get('b')).to.equal(undefined);
    expect(cache.get('a')?.key).to.equal('a');
  });
});
