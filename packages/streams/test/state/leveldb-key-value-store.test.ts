import { expect } from 'chai';
import { after, describe, it } from 'mocha';
import * as path from 'node:path';
import { LevelDbKeyValueStore } from '../../src/state/leveldb/leveldb-key-value-store.js';
import { tempDir } from '../helpers/temp-dir.js';

const b = (text: string) => Buffer.from(text);
const root = tempDir('leveldb-unit');
let counter = 0;
const opened: LevelDbKeyValueStore[] = [];

async function openStore(maxPendingWrites: number): Promise<LevelDbKeyValueStore> {
  const store = new LevelDbKeyValueStore('store', { dir: path.join(root, String(counter++)), maxPendingWrites });
  opened.push(store);
  await store.open();
  return store;
}

/** Yields to the event loop until the store's background batch is written (bounded). */
async function backgroundSettled(store: LevelDbKeyValueStore): Promise<void> {
  for (let i = 0; i < 1000 && store.bufferedWrites().flushing > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(store.bufferedWrites().flushing, 'background batch still in flight').to.equal(0);
}

describe('State > LevelDb > write buffer bound', () => {
  after(async () => {
    for (const store of opened) await store.close();
  });

  it('starts writing in the background once maxPendingWrites keys are buffered', async () => {
    const store = await openStore(4);
    for (const key of ['a', 'b', 'c']) store.put(b(key), b(`v-${key}`));
    expect(store.bufferedWrites()).to.deep.equal({ pending: 3, flushing: 0 });
    store.delete(b('zz'));
    expect(store.bufferedWrites()).to.deep.equal({ pending: 0, flushing: 4 });
  });

  it('reads and scans correctly while a background batch is in flight', async () => {
    const store = await openStore(3);
    store.putAll([{ key: b('a'), value: b('1') }, { key: b('b'), value: b('2') }]);
    await store.flush();
    store.put(b('c'), b('3'));
    store.delete(b('a'));
    store.put(b('d'), b('4'));
    expect(store.bufferedWrites().flushing).to.equal(3);
    store.put(b('b'), b('22'));
    expect(store.getMany([b('a'), b('b'), b('c'), b('d')]).map((v) => v?.toString())).to.deep.equal([
      undefined,
      '22',
      '3',
      '4',
    ]);
    const scanned: string[] = [];
    for await (const { key, value } of store.all()) scanned.push(`${key}=${value}`);
    expect(scanned).to.deep.equal(['b=22', 'c=3', 'd=4']);
  });

  it('lands background batches in LevelDB without an explicit flush', async () => {
    const store = await openStore(2);
    store.put(b('a'), b('1'));
    store.put(b('b'), b('2'));
    await backgroundSettled(store);
    // Nothing is buffered any more, so these reads come from LevelDB itself.
    expect(store.bufferedWrites()).to.deep.equal({ pending: 0, flushing: 0 });
    expect(store.getMany([b('a'), b('b')]).map((v) => v?.toString())).to.deep.equal(['1', '2']);
  });
});

describe('State > LevelDb > errors and options', () => {
  it('reports a database held by another instance as a retriable STREAMS_STORE_IO with the cause', async () => {
    const dir = path.join(root, 'locked');
    const first = new LevelDbKeyValueStore('store', { dir });
    await first.open();
    try {
      const second = new LevelDbKeyValueStore('store', { dir });
      const failure = (await second.open().catch((err: unknown) => err)) as { code?: string; cause?: unknown; retriable?: boolean };
      expect(failure.code).to.equal('STREAMS_STORE_IO');
      expect(failure.cause).to.be.instanceOf(Error);
      expect(failure.retriable).to.equal(true);
      expect(second.isOpen).to.equal(false);
    } finally {
      await first.close();
    }
  });

  it('keeps each store in <dir>/<name> and refuses names that are not one path segment', () => {
    expect(new LevelDbKeyValueStore('counts', { dir: root }).location).to.equal(path.join(root, 'counts'));
    expect(() => new LevelDbKeyValueStore('a/b', { dir: root })).to.throw(TypeError);
    expect(() => new LevelDbKeyValueStore('..', { dir: root })).to.throw(TypeError);
    expect(() => new LevelDbKeyValueStore('s', { dir: '' })).to.throw(TypeError);
    expect(() => new LevelDbKeyValueStore('s', { dir: root, maxPendingWrites: 0 })).to.throw(RangeError);
  });

  it('opens with a small block cache and write buffer, and refuses ones below 64 KiB', async () => {
    const store = new LevelDbKeyValueStore('small', { dir: root, blockCacheBytes: 65536, writeBufferBytes: 65536 });
    await store.open();
    try {
      // Past the 64 KiB memtable: LevelDB writes it out and keeps answering.
      for (let i = 0; i < 2000; i++) store.put(Buffer.from(`k${i}`), Buffer.alloc(100, i % 256));
      await store.flush();
      expect(store.get(Buffer.from('k1999'))).to.deep.equal(Buffer.alloc(100, 1999 % 256));
    } finally {
      await store.close();
    }
    expect(() => new LevelDbKeyValueStore('s', { dir: root, blockCacheBytes: 1000 })).to.throw(RangeError, /blockCacheBytes/);
    expect(() => new LevelDbKeyValueStore('s', { dir: root, writeBufferBytes: 65536.5 })).to.throw(RangeError, /writeBufferBytes/);
  });
});
