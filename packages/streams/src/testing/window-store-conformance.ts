import { expect } from 'chai';
import fc from 'fast-check';
import { afterEach, describe, it } from 'mocha';
import type { WindowedKeyValue, WindowStore } from '../state/types.js';

export interface WindowStoreConformanceOptions {
  /** Shown in the describe titles, e.g. 'LevelDb'. */
  name: string;
  /** Returns a fresh, isolated store with the given retention (ms), open or not. The suite opens and closes it. */
  factory: (options: { retentionMs: number }) => WindowStore | Promise<WindowStore>;
  /** Returns a new instance over the storage of a closed persistent store; enables the cross-instance test. */
  reopen?: (closed: WindowStore) => WindowStore | Promise<WindowStore>;
  /** Random operation sequences the model check runs. Default 30. */
  propertyRuns?: number;
}

const b = (text: string) => Buffer.from(text);

/** 'key@start=value' strings, easy to compare and to read in a failure. */
const show = (windows: WindowedKeyValue[]) => windows.map((w) => `${w.key.toString()}@${w.windowStart}=${w.value.toString()}`);

async function collect(scan: AsyncIterable<WindowedKeyValue>): Promise<string[]> {
  const out: WindowedKeyValue[] = [];
  for await (const window of scan) out.push(window);
  return show(out);
}

function expectCode(action: () => unknown, code: string): void {
  try {
    action();
  } catch (err) {
    expect((err as { code?: unknown }).code, String(err)).to.equal(code);
    return;
  }
  expect.fail(`expected an error with code ${code}`);
}

/**
 * The contract every WindowStore backend must meet (C5). Uses only mocha's describe/it hooks,
 * chai's expect and fast-check.
 */
export function windowStoreConformance(options: WindowStoreConformanceOptions): void {
  const opened: WindowStore[] = [];
  async function fresh(retentionMs = 1_000_000): Promise<WindowStore> {
    const store = await options.factory({ retentionMs });
    opened.push(store);
    await store.open();
    return store;
  }

  describe(`State > WindowStore conformance > ${options.name}`, function () {
    this.timeout(20_000);
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    describe('put and fetch', () => {
      it('returns the value of a window and undefined for others', async () => {
        const store = await fresh();
        store.put(b('a'), b('1'), 10);
        expect(store.fetch(b('a'), 10)?.toString()).to.equal('1');
        expect(store.fetch(b('a'), 11)).to.equal(undefined);
        expect(store.fetch(b('b'), 10)).to.equal(undefined);
      });

      it('overwrites a window, and deletes it on a null value', async () => {
        const store = await fresh();
        store.put(b('a'), b('1'), 10);
        store.put(b('a'), b('2'), 10);
        expect(store.fetch(b('a'), 10)?.toString()).to.equal('2');
        store.put(b('a'), null, 10);
        expect(store.fetch(b('a'), 10)).to.equal(undefined);
        store.put(b('a'), null, 20);
        expect(await collect(store.all())).to.deep.equal([]);
      });
    });

    describe('fetchRange', () => {
      it('returns the windows of one key in start order, bounds included', async () => {
        const store = await fresh();
        for (const start of [30, 10, 20, 40]) store.put(b('a'), b(`v${start}`), start);
        expect(show(store.fetchRange(b('a'), 10, 30))).to.deep.equal(['a@10=v10', 'a@20=v20', 'a@30=v30']);
        expect(show(store.fetchRange(b('a'), 11, 29))).to.deep.equal(['a@20=v20']);
        expect(show(store.fetchRange(b('a'), -Infinity, Infinity))).to.have.length(4);
        expect(store.fetchRange(b('a'), 30, 10)).to.deep.equal([]);
      });

      it('never mixes in keys that share a prefix', async () => {
        const store = await fresh();
        store.put(b('a'), b('1'), 5);
        store.put(Buffer.from([0x61, 0]), b('2'), 5);
        store.put(Buffer.from([0x61, 0, 0, 0, 0, 0, 0, 0, 0]), b('3'), 5);
        store.put(b('ab'), b('4'), 5);
        expect(store.fetchRange(b('a'), 0, 100).map((w) => w.value.toString())).to.deep.equal(['1']);
        expect(store.fetchRange(Buffer.from([0x61, 0]), 0, 100).map((w) => w.value.toString())).to.deep.equal(['2']);
      });
    });

    describe('fetchAll and all', () => {
      it('lists the windows of every key in the time range, by start then key', async () => {
        const store = await fresh();
        store.put(b('b'), b('1'), 10);
        store.put(b('a'), b('2'), 20);
        store.put(b('a'), b('3'), 10);
        store.put(b('c'), b('4'), 30);
        expect(await collect(store.fetchAll(10, 20))).to.deep.equal(['a@10=3', 'b@10=1', 'a@20=2']);
        expect(await collect(store.all())).to.deep.equal(['a@10=3', 'b@10=1', 'a@20=2', 'c@30=4']);
        expect(await collect(store.fetchAll(21, 29))).to.deep.equal([]);
        expect(await collect(store.fetchAll(20, 10))).to.deep.equal([]);
      });
    });

    describe('retention', () => {
      it('drops windows that start before the highest start seen minus the retention', async () => {
        const store = await fresh(100);
        store.put(b('a'), b('0'), 0);
        store.put(b('b'), b('50'), 50);
        store.put(b('a'), b('100'), 100);
        store.put(b('a'), b('200'), 200);
        expect(store.fetch(b('a'), 0)).to.equal(undefined);
        expect(store.fetch(b('b'), 50)).to.equal(undefined);
        expect(store.fetch(b('a'), 100)?.toString()).to.equal('100');
        expect(await collect(store.all())).to.deep.equal(['a@100=100', 'a@200=200']);
        expect(store.retentionMs).to.equal(100);
      });

      it('ignores writes to windows that already expired, but accepts late ones still retained', async () => {
        const store = await fresh(100);
        store.put(b('a'), b('300'), 300);
        store.put(b('a'), b('old'), 199);
        store.put(b('a'), b('edge'), 200);
        store.put(b('a'), b('late'), 250);
        expect(store.fetch(b('a'), 199)).to.equal(undefined);
        expect(show(store.fetchRange(b('a'), 0, 1000))).to.deep.equal(['a@200=edge', 'a@250=late', 'a@300=300']);
      });
    });

    describe('flush, close and reopen', () => {
      it('keeps windows and stream time across close and open when persistent, and starts empty otherwise', async () => {
        const store = await fresh(100);
        store.put(b('a'), b('1'), 100);
        await store.flush();
        store.put(b('b'), b('2'), 150); // not flushed: close writes it
        store.put(b('a'), null, 100);
        await store.close();
        await store.open();
        store.put(b('c'), b('late'), 40); // expired if stream time (150) was restored
        const expected = store.persistent ? ['b@150=2'] : ['c@40=late'];
        expect(await collect(store.all())).to.deep.equal(expected);
      });

      if (options.reopen !== undefined) {
        const reopen = options.reopen;
        it('lets a new instance over the same storage read the windows', async () => {
          const store = await fresh();
          store.put(b('a'), b('1'), 10);
          store.put(b('a'), b('2'), 20);
          await store.close();
          const again = await reopen(store);
          opened.push(again);
          await again.open();
          expect(show(again.fetchRange(b('a'), 0, 100))).to.deep.equal(['a@10=1', 'a@20=2']);
        });
      }
    });

    describe('lifecycle and argument checks', () => {
      it('throws STREAMS_STORE_NOT_OPEN for every operation on a closed store', async () => {
        const store = await fresh();
        await store.close();
        expect(store.isOpen).to.equal(false);
        const code = 'STREAMS_STORE_NOT_OPEN';
        expectCode(() => store.put(b('a'), b('1'), 1), code);
        expectCode(() => store.fetch(b('a'), 1), code);
        expectCode(() => store.fetchRange(b('a'), 0, 1), code);
        expectCode(() => store.fetchAll(0, 1), code);
        expectCode(() => store.all(), code);
        const flushed = await store.flush().then(() => undefined, (err: { code?: unknown }) => err.code);
        expect(flushed).to.equal(code);
      });

      it('throws TypeError for non-Buffer keys and values and RangeError for bad window starts', async () => {
        const store = await fresh();
        const any = store as unknown as Record<string, (...args: unknown[]) => unknown>;
        expect(() => any.put!('a', b('1'), 1)).to.throw(TypeError);
        expect(() => any.put!(b('a'), 'v', 1)).to.throw(TypeError);
        expect(() => any.fetch!(b('a'), '1')).to.throw(TypeError);
        expect(() => store.put(b('a'), b('1'), -1)).to.throw(RangeError);
        expect(() => store.put(b('a'), b('1'), 1.5)).to.throw(RangeError);
        expect(() => store.fetchRange(b('a'), Number.NaN, 1)).to.throw(TypeError);
      });
    });

    describe('model check', () => {
      it('behaves like a map of windows with retention under random operations', async () => {
        await fc.assert(fc.asyncProperty(windowOperations(), (ops) => runAgainstModel(() => fresh(100), ops)), {
          numRuns: options.propertyRuns ?? 30,
        });
      });
    });
  });
}

type WindowOperation =
  | { op: 'put'; key: string; start: number; value: string | null }
  | { op: 'fetch'; key: string; start: number }
  | { op: 'fetchRange'; key: string; from: number; to: number }
  | { op: 'fetchAll'; from: number; to: number }
  | { op: 'flush' };

function windowOperations(): fc.Arbitrary<WindowOperation[]> {
  const key = fc.constantFrom('a', 'b', 'ab');
  const start = fc.integer({ min: 0, max: 400 });
  return fc.array(
    fc.oneof(
      { arbitrary: fc.record({ op: fc.constant('put' as const), key, start, value: fc.option(fc.string({ maxLength: 2 })) }), weight: 5 },
      { arbitrary: fc.record({ op: fc.constant('fetch' as const), key, start }), weight: 2 },
      { arbitrary: fc.record({ op: fc.constant('fetchRange' as const), key, from: start, to: start }), weight: 2 },
      { arbitrary: fc.record({ op: fc.constant('fetchAll' as const), from: start, to: start }), weight: 1 },
      { arbitrary: fc.constant({ op: 'flush' as const }), weight: 1 },
    ),
    { maxLength: 40 },
  );
}

/** Checks a store with retention 100 against a plain Map of 'key@start' -> value. */
async function runAgainstModel(fresh: () => Promise<WindowStore>, ops: WindowOperation[]): Promise<void> {
  const store = await fresh();
  const model = new Map<string, { key: string; start: number; value: string }>();
  let streamTime = -Infinity;
  const live = (from: number, to: number, key?: string) =>
    [...model.values()]
      .filter((w) => w.start >= from && w.start <= to && (key === undefined || w.key === key))
      .sort((x, y) => x.start - y.start || Buffer.compare(b(x.key), b(y.key)))
      .map((w) => `${w.key}@${w.start}=${w.value}`);
  try {
    for (const op of ops) {
      switch (op.op) {
        case 'put': {
          store.put(b(op.key), op.value === null ? null : b(op.value), op.start);
          streamTime = Math.max(streamTime, op.start);
          for (const [id, w] of model) if (w.start < streamTime - 100) model.delete(id);
          if (op.start < streamTime - 100) break;
          if (op.value === null) model.delete(`${op.key}@${op.start}`);
          else model.set(`${op.key}@${op.start}`, { key: op.key, start: op.start, value: op.value });
          break;
        }
        case 'fetch':
          expect(store.fetch(b(op.key), op.start)?.toString()).to.equal(model.get(`${op.key}@${op.start}`)?.value);
          break;
        case 'fetchRange':
          expect(show(store.fetchRange(b(op.key), op.from, op.to))).to.deep.equal(live(op.from, op.to, op.key));
          break;
        case 'fetchAll':
          expect(await collect(store.fetchAll(op.from, op.to))).to.deep.equal(live(op.from, op.to));
          break;
        case 'flush':
          await store.flush();
          break;
      }
    }
    expect(await collect(store.all())).to.deep.equal(live(0, Number.MAX_SAFE_INTEGER));
  } finally {
    await store.close();
  }
}
