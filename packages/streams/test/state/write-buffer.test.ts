import { expect } from 'chai';
import { describe, it } from 'mocha';
import type { OverlayEntry } from '../../src/state/internals/merge-overlay.js';
import { WriteBuffer } from '../../src/state/internals/write-buffer.js';

const b = (text: string) => Buffer.from(text);
const show = (changes: Iterable<OverlayEntry>) => [...changes].map(([k, v]) => `${k}=${v === null ? 'DEL' : v.toString()}`);

/** A backend whose batches wait until released, and fail while `failing` is set. */
class FakeBackend {
  readonly batches: string[][] = [];
  failing = false;
  #release: (() => void)[] = [];

  write = (changes: OverlayEntry[]): Promise<void> => {
    this.batches.push(show(changes));
    return new Promise<void>((resolve, reject) => {
      this.#release.push(() => (this.failing ? reject(new Error('disk full')) : resolve()));
    });
  };

  /** Lets every batch written so far finish, then lets the buffer react. */
  async releaseAll(): Promise<void> {
    for (const release of this.#release.splice(0)) release();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('State > WriteBuffer', () => {
  it('starts a background batch when the pending writes reach the bound, and keeps them readable', async () => {
    const backend = new FakeBackend();
    const buffer = new WriteBuffer(backend.write, 3);
    buffer.set(b('a'), b('1'));
    buffer.set(b('b'), null);
    expect(backend.batches).to.deep.equal([]);
    buffer.set(b('c'), b('3'));
    expect(backend.batches).to.deep.equal([['a=1', 'b=DEL', 'c=3']]);
    expect(buffer.counts).to.deep.equal({ pending: 0, flushing: 3 });
    buffer.set(b('a'), b('11'));
    expect(buffer.lookup(b('a'))?.toString()).to.equal('11');
    expect(buffer.lookup(b('b'))).to.equal(null);
    expect(buffer.lookup(b('c'))?.toString()).to.equal('3');
    expect(buffer.lookup(b('x'))).to.equal(undefined);
    expect(show(buffer.overlay({ reverse: false }))).to.deep.equal(['a=11', 'b=DEL', 'c=3']);
    await backend.releaseAll();
    expect(buffer.counts).to.deep.equal({ pending: 1, flushing: 0 });
  });

  it('keeps one batch in flight, so batches reach the backend in write order', async () => {
    const backend = new FakeBackend();
    const buffer = new WriteBuffer(backend.write, 2);
    for (const key of ['a', 'b', 'c', 'd', 'e']) buffer.set(b(key), b('v'));
    expect(backend.batches).to.have.length(1);
    await backend.releaseAll();
    expect(backend.batches).to.deep.equal([['a=v', 'b=v'], ['c=v', 'd=v', 'e=v']]);
  });

  it('puts a failed batch back under newer writes, pauses background batches, and retries on flush', async () => {
    const backend = new FakeBackend();
    const buffer = new WriteBuffer(backend.write, 2);
    backend.failing = true;
    buffer.set(b('a'), b('1'));
    buffer.set(b('b'), b('2'));
    buffer.set(b('a'), b('new'));
    await backend.releaseAll();
    expect(buffer.counts).to.deep.equal({ pending: 2, flushing: 0 });
    expect(buffer.lookup(b('a'))?.toString()).to.equal('new');
    buffer.set(b('c'), b('3'));
    expect(backend.batches).to.have.length(1);

    const failed = buffer.flush().catch((err: Error) => err.message);
    await backend.releaseAll();
    expect(await failed).to.equal('disk full');

    backend.failing = false;
    const flushed = buffer.flush();
    await backend.releaseAll();
    await flushed;
    expect(backend.batches.at(-1)).to.deep.equal(['a=new', 'b=2', 'c=3']);
    expect(buffer.counts).to.deep.equal({ pending: 0, flushing: 0 });
  });

  it('resolves flush() once the batch in flight and the writes pending at the call are written', async () => {
    const backend = new FakeBackend();
    const buffer = new WriteBuffer(backend.write, 2);
    buffer.set(b('a'), b('1'));
    buffer.set(b('b'), b('2'));
    buffer.set(b('c'), b('3'));
    let done = false;
    const flushed = buffer.flush().then(() => (done = true));
    await backend.releaseAll();
    expect(done).to.equal(false);
    await backend.releaseAll();
    await flushed;
    expect(backend.batches).to.deep.equal([['a=1', 'b=2'], ['c=3']]);
  });
});
