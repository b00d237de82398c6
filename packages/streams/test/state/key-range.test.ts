import { expect } from 'chai';
import { describe, it } from 'mocha';
import { prefixEnd, toKeyRange } from '../../src/state/internals/key-range.js';
import type { KeyRange } from '../../src/state/internals/key-range.js';
import { SortedBufferMap } from '../../src/state/internals/sorted-map.js';

const hex = (value: Buffer | undefined) => value?.toString('hex');

describe('State > KeyRange', () => {
  it('ends a prefix at its last byte below 0xff, incremented', () => {
    expect(hex(prefixEnd(Buffer.from([0x61, 0x62])))).to.equal('6163');
    expect(hex(prefixEnd(Buffer.from([0x61, 0xff, 0xff])))).to.equal('62');
    expect(prefixEnd(Buffer.from([0xff, 0xff]))).to.equal(undefined);
  });

  it('turns from > to into an empty range and keeps equal bounds', () => {
    expect(toKeyRange({ from: Buffer.from('b'), to: Buffer.from('a') })).to.equal(undefined);
    expect(hex(toKeyRange({ from: Buffer.from('a'), to: Buffer.from('a') })?.lte)).to.equal('61');
  });
});

describe('State > SortedBufferMap > entries', () => {
  const map = new SortedBufferMap<number>();
  for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(Buffer.from(key), i);
  const keys = (range: KeyRange) => [...map.entries(range)].map(([k]) => k.toString());

  it('walks a range with an exclusive end in both directions', () => {
    expect(keys({ gte: Buffer.from('b'), lt: Buffer.from('d'), reverse: false })).to.deep.equal(['b', 'c']);
    expect(keys({ gte: Buffer.from('b'), lt: Buffer.from('d'), reverse: true })).to.deep.equal(['c', 'b']);
    expect(keys({ lte: Buffer.from('c'), reverse: true })).to.deep.equal(['c', 'b', 'a']);
  });
});
