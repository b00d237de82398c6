import { expect } from 'chai';
import { describe, it } from 'mocha';
import { AbstractKeyValueStore } from '../../src/state/abstract-key-value-store.js';
import type { KeyRange } from '../../src/state/internals/key-range.js';
import type { KeyValue } from '../../src/state/types.js';

const b = (text: string) => Buffer.from(text);

/** Records every hook call; `failOpen`/`failFlush` make those hooks reject once. */
class SpyStore extends AbstractKeyValueStore {
  readonly persistent = false;
  readonly calls: string[] = [];
  readonly ranges: KeyRange[] = [];
  failOpen = false;
  failFlush = false;

  protected override async _open(): Promise<void> {
    this.calls.push('open');
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failOpen) throw new Error('open failed');
  }
  protected override async _flush(): Promise<void> {
    this.calls.push('flush');
    if (this.failFlush) throw new Error('flush failed');
  }
  protected override async _close(): Promise<void> {
    this.calls.push('close');
  }
  protected _get(key: Buffer): Buffer | undefined {
    this.calls.push(`get ${key}`);
    return undefined;
  }
  protected _put(key: Buffer, value: Buffer): void {
    this.calls.push(`put ${key}=${value}`);
  }
  protected _delete(key: Buffer): Buffer | undefined {
    this.calls.push(`delete ${key}`);
    return undefined;
  }
  // eslint-disable-next-line require-yield -- records the range and yields nothing
  protected async *_range(range: KeyRange): AsyncGenerator<KeyValue> {
    this.ranges.push(range);
  }
  protected async _approximateNumEntries(): Promise<number> {
    return 7;
  }
}

async function drain(scan: AsyncIterable<KeyValue>): Promise<void> {
  for await (const _ of scan);
}

describe('State > AbstractKeyValueStore > lifecycle', () => {
  it('runs one _open for concurrent open() calls', async () => {
    const store = new SpyStore('spy');
    await Promise.all([store.open(), store.open()]);
    expect(store.calls).to.deep.equal(['open']);
    expect(store.status).to.equal('open');
  });

  it('flushes before closing, and can be opened again', async () => {
    const store = new SpyStore('spy');
    await store.open();
    await Promise.all([store.close(), store.close()]);
    await store.open();
    expect(store.calls).to.deep.equal(['open', 'flush', 'close', 'open']);
  });

  it('stays closed when _open fails, and a later open() retries', async () => {
    const store = new SpyStore('spy');
    store.failOpen = true;
    const failure = await store.open().catch((err: Error) => err);
    expect((failure as Error).message).to.equal('open failed');
    expect(store.isOpen).to.equal(false);
    store.failOpen = false;
    await store.open();
    expect(store.isOpen).to.equal(true);
  });

  it('still closes the backend when the final flush fails, and reports the failure', async () => {
    const store = new SpyStore('spy');
    await store.open();
    store.failFlush = true;
    const failure = await store.close().catch((err: Error) => err);
    expect(failure).to.be.instanceOf(Error);
    expect(store.calls.slice(-2)).to.deep.equal(['flush', 'close']);
    expect(store.status).to.equal('closed');
  });

  it('rejects operations while opening with STREAMS_STORE_NOT_OPEN', async () => {
    const store = new SpyStore('spy');
    const opening = store.open();
    expect(store.status).to.equal('opening');
    expect(() => store.put(b('a'), b('1'))).to.throw().with.property('code', 'STREAMS_STORE_NOT_OPEN');
    await opening;
  });

  it('refuses an empty name with a TypeError', () => {
    expect(() => new SpyStore('')).to.throw(TypeError);
  });
});

describe('State > AbstractKeyValueStore > hooks', () => {
  it('forwards checked arguments to the hooks, putAll and getMany entry by entry by default', async () => {
    const store = new SpyStore('spy');
    await store.open();
    store.put(b('a'), b('1'));
    store.putAll([{ key: b('b'), value: b('2') }]);
    expect(store.getMany([b('a'), b('c')])).to.deep.equal([undefined, undefined]);
    store.delete(b('a'));
    expect(await store.approximateNumEntries()).to.equal(7);
    expect(store.calls.slice(1)).to.deep.equal(['put a=1', 'put b=2', 'get a', 'get c', 'delete a']);
  });

  it('hands _range a normalized range: inclusive bounds, and an exclusive end for prefixes', async () => {
    const store = new SpyStore('spy');
    await store.open();
    await drain(store.range({ from: b('a'), to: b('c'), reverse: true }));
    await drain(store.prefixScan(Buffer.from([0x61, 0xff])));
    await drain(store.all());
    const shown = store.ranges.map((r) => ({
      gte: r.gte?.toString('hex'),
      lte: r.lte?.toString('hex'),
      lt: r.lt?.toString('hex'),
      reverse: r.reverse,
    }));
    expect(shown).to.deep.equal([
      { gte: '61', lte: '63', lt: undefined, reverse: true },
      { gte: '61ff', lte: undefined, lt: '62', reverse: false },
      { gte: undefined, lte: undefined, lt: undefined, reverse: false },
    ]);
  });

  it('does not call _range for an empty range (from after to)', async () => {
    const store = new SpyStore('spy');
    await store.open();
    await drain(store.range({ from: b('z'), to: b('a') }));
    expect(store.ranges).to.deep.equal([]);
  });

  it('does not call a hook when an argument is not a Buffer', async () => {
    const store = new SpyStore('spy');
    await store.open();
    const loose = store as unknown as { put(key: unknown, value: unknown): void };
    expect(() => loose.put(b('a'), '1')).to.throw(TypeError);
    expect(() => loose.put(new Uint8Array([1]), b('1'))).to.throw(TypeError);
    expect(store.calls).to.deep.equal(['open']);
  });
});
