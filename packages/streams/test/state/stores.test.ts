import { expect } from 'chai';
import { describe, it } from 'mocha';
import * as path from 'node:path';
import { LevelDbKeyValueStore, LevelDbStores, LevelDbWindowStore } from '../../src/leveldb.js';
import { CachingKeyValueStore } from '../../src/state/internals/caching-key-value-store.js';
import { InMemoryKeyValueStore } from '../../src/state/memory/in-memory-key-value-store.js';
import { InMemoryWindowStore } from '../../src/state/memory/in-memory-window-store.js';
import { Stores } from '../../src/state/stores.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('State > Stores', () => {
  it('builds the in-memory stores and the cache with their options', () => {
    const kv = Stores.inMemoryKeyValueStore('kv');
    expect(kv).to.be.instanceOf(InMemoryKeyValueStore);
    expect([kv.name, kv.persistent]).to.deep.equal(['kv', false]);
    const cache = Stores.cached(kv, { maxBytes: 1024 });
    expect(cache).to.be.instanceOf(CachingKeyValueStore);
    expect([cache.name, cache.maxBytes, cache.inner]).to.deep.equal(['kv', 1024, kv]);
    const windows = Stores.inMemoryWindowStore('w', { retentionMs: 60_000 });
    expect(windows).to.be.instanceOf(InMemoryWindowStore);
    expect(windows.retentionMs).to.equal(60_000);
  });

  it('builds the LevelDB stores from the leveldb entry, each in <dir>/<name>', () => {
    const dir = tempDir('stores');
    const kv = LevelDbStores.keyValueStore('kv', { dir });
    expect(kv).to.be.instanceOf(LevelDbKeyValueStore);
    expect([kv.location, kv.persistent]).to.deep.equal([path.join(dir, 'kv'), true]);
    const windows = LevelDbStores.windowStore('w', { dir, retentionMs: 1000 });
    expect(windows).to.be.instanceOf(LevelDbWindowStore);
    expect([windows.persistent, windows.retentionMs]).to.deep.equal([true, 1000]);
  });

  it('refuses a negative or fractional retention with a RangeError', () => {
    expect(() => Stores.inMemoryWindowStore('w', { retentionMs: -1 })).to.throw(RangeError);
    expect(() => Stores.inMemoryWindowStore('w', { retentionMs: 0.5 })).to.throw(RangeError);
  });
});
