import { expect } from 'chai';
import { describe, it } from 'mocha';
import { CachingKeyValueStore } from '../../src/state/internals/caching-key-value-store.js';
import { InMemoryKeyValueStore } from '../../src/state/memory/in-memory-key-value-store.js';
import type { KeyValue } from '../../src/state/types.js';

const b = (text: string) => Buffer.from(text);

/** An in-memory store that records what reaches it. */
class RecordingStore extends InMemoryKeyValueStore {
  readonly writes: string[] = [];
  reads = 0;

  protected override _get(key: Buffer): Buffer | undefined {
    this.reads++;
    return super._get(key);
  }
  protected override _put(key: Buffer, value: Buffer): void {
    this.writes.push(`put ${key}=${value}`);
    super._put(key, value);
  }
  protected override _putAll(entries: KeyValue[]): void {
    this.writes.push(`putAll ${entries.map(({ key, value }) => `${key}=${value}`).join(',')}`);
    for (const { key, value } of entries) super._put(key, value);
  }
  protected override _delete(key: Buffer): Buffer | undefined {
    this.writes.push(`delete ${key}`);
    return super._delete(key);
  }
}

async function cached(maxBytes?: number): Promise<{ store: CachingKeyValueStore; inner: RecordingStore }> {
  const inner = new RecordingStore('kv');
  const store = new CachingKeyValueStore(inner, maxBytes === undefined ? {} : { maxBytes });
  await store.open();
  return { store, inner };
}

describe('State > CachingKeyValueStore > reads', () => {
  it('serves repeated reads, cached misses included, from the cache and reports the hit ratio', async () => {
    const { store, inner } = await cached();
    expect(store.cacheStats().hitRatio).to.equal(0);
    store.put(b('a'), b('1'));
    expect(store.get(b('a'))?.toString()).to.equal('1');
    expect(store.get(b('missing'))).to.equal(undefined);
    expect(store.get(b('missing'))).to.equal(undefined);
    expect(store.getMany([b('a'), b('missing'), b('other')]).map((v) => v?.toString())).to.deep.equal(['1', undefined, undefined]);
    expect(inner.reads).to.equal(2);
    const stats = store.cacheStats();
    expect([stats.hits, stats.misses]).to.deep.equal([4, 2]);
    expect(stats.hitRatio).to.equal(4 / 6);
    await store.close();
  });
});

describe('State > CachingKeyValueStore > writes', () => {
  it('writes only the last value of each key, in one putAll, on flush', async () => {
    const { store, inner } = await cached();
    for (let i = 0; i < 5; i++) store.put(b('a'), b(String(i)));
    store.put(b('b'), b('x'));
    store.put(b('c'), b('y'));
    store.delete(b('c'));
    expect(inner.writes).to.deep.equal([]);
    expect(store.cacheStats().dirty).to.equal(3);
    await store.flush();
    expect(inner.writes).to.deep.equal(['delete c', 'putAll a=4,b=x']);
    expect(store.cacheStats().dirty).to.equal(0);
    await store.close();
  });

  it('writes dirty entries, deletes included, to the inner store when it evicts them', async () => {
    // Each entry costs 64 bytes of overhead plus its key and value; a generation holds half of
    // the 300-byte budget: two entries. A third entry turns the young generation old; the next
    // turn evicts what is left in the old one, as one batch.
    const { store, inner } = await cached(300);
    store.put(b('a'), b('1'));
    store.put(b('b'), b('2'));
    store.delete(b('b'));
    store.put(b('c'), b('3')); // the young generation {a, b (deleted), c} becomes old
    store.put(b('d'), b('4'));
    store.put(b('e'), b('5'));
    expect(inner.writes).to.deep.equal([]);
    store.put(b('f'), b('6')); // {d, e, f} becomes old: {a, b, c} is evicted
    expect(inner.writes).to.deep.equal(['delete b', 'putAll a=1,c=3']);
    expect(inner.get(b('a'))?.toString()).to.equal('1');
    expect(store.get(b('a'))?.toString()).to.equal('1');
    expect(store.cacheStats().bytes).to.be.at.most(300);
    await store.flush();
    expect(inner.writes.slice(2)).to.deep.equal(['putAll d=4,e=5,f=6']);
    await store.close();
  });

  it('does not write clean entries back when it evicts them', async () => {
    const { store, inner } = await cached(200);
    inner.put(b('a'), b('1'));
    inner.writes.length = 0;
    expect(store.get(b('a'))?.toString()).to.equal('1');
    store.get(b('x'));
    store.get(b('y'));
    await store.flush();
    expect(inner.writes).to.deep.equal([]);
    await store.close();
  });

  it('writes an entry larger than the whole cache straight through', async () => {
    const { store, inner } = await cached(100);
    store.put(b('big'), Buffer.alloc(100, 1));
    expect(inner.writes).to.deep.equal([`putAll big=${Buffer.alloc(100, 1)}`]);
    expect(store.get(b('big'))?.length).to.equal(100);
    expect(store.cacheStats().entries).to.equal(0);
    await store.close();
  });

  it('refuses a cache budget that is not a positive integer', () => {
    expect(() => new CachingKeyValueStore(new InMemoryKeyValueStore('kv'), { maxBytes: 0 })).to.throw(RangeError);
  });
});
