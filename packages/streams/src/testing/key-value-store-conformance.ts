import { expect } from 'chai';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, it } from 'mocha';
import type { KeyValue, KeyValueStore, RangeOptions } from '../state/types.js';

export interface KeyValueStoreConformanceOptions {
  /** Shown in the describe titles, e.g. 'LevelDb'. */
  name: string;
  /** Returns a fresh, isolated store (a new directory for a persistent one), open or not. The suite opens and closes it. */
  factory: () => KeyValueStore | Promise<KeyValueStore>;
  /** Returns a new instance over the storage of a closed persistent store; enables the cross-instance test. */
  reopen?: (closed: KeyValueStore) => KeyValueStore | Promise<KeyValueStore>;
  /** Whether approximateNumEntries() is exact (the suite then checks the count). Default true. */
  exactNumEntries?: boolean;
  /** Random operation sequences the model check runs. Default 30. */
  propertyRuns?: number;
}

const b = (text: string) => Buffer.from(text);
const hex = (bytes: number[]) => Buffer.from(bytes);
const text = (value: Buffer | undefined) => value?.toString();

async function pairs(scan: AsyncIterable<KeyValue>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const { key, value } of scan) out.push([key.toString(), value.toString()]);
  return out;
}

async function keysHex(scan: AsyncIterable<KeyValue>): Promise<string[]> {
  const out: string[] = [];
  for await (const { key } of scan) out.push(key.toString('hex'));
  return out;
}

/** Expects `action` to throw, or to return a promise that rejects, with a StreamsError of `code`. */
async function expectCode(action: () => unknown, code: string): Promise<void> {
  try {
    await action();
  } catch (err) {
    expect((err as { code?: unknown }).code, String(err)).to.equal(code);
    return;
  }
  expect.fail(`expected an error with code ${code}`);
}

/**
 * The contract every KeyValueStore backend must meet (C5). Call it from a backend's test file;
 * it uses only mocha's describe/it hooks and chai's expect (plus fast-check for the model check).
 */
export function keyValueStoreConformance(options: KeyValueStoreConformanceOptions): void {
  const title = `State > KeyValueStore conformance > ${options.name}`;
  const exactCount = options.exactNumEntries ?? true;
  let store: KeyValueStore;
  const opened: KeyValueStore[] = [];

  async function fresh(): Promise<KeyValueStore> {
    const created = await options.factory();
    opened.push(created);
    await created.open();
    return created;
  }

  async function putFlushed(entries: [string, string][]): Promise<void> {
    store.putAll(entries.map(([key, value]) => ({ key: b(key), value: b(value) })));
    await store.flush();
  }

  describe(title, function () {
    this.timeout(20_000);
    beforeEach(async () => {
      store = await fresh();
    });
    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
    });

    describe('get and put', () => {
      it('returns undefined for a key that was never written', () => {
        expect(store.get(b('missing'))).to.equal(undefined);
      });

      it('returns the last value put, before and after a flush', async () => {
        store.put(b('k'), b('v1'));
        store.put(b('k'), b('v2'));
        expect(text(store.get(b('k')))).to.equal('v2');
        await store.flush();
        expect(text(store.get(b('k')))).to.equal('v2');
        store.put(b('k'), b('v3'));
        expect(text(store.get(b('k')))).to.equal('v3');
      });

      it('keeps binary keys apart and stores empty values', () => {
        store.put(hex([0]), b('zero'));
        store.put(hex([0, 0]), b('two zeros'));
        store.put(hex([0xff]), Buffer.alloc(0));
        expect(text(store.get(hex([0])))).to.equal('zero');
        expect(text(store.get(hex([0, 0])))).to.equal('two zeros');
        expect(store.get(hex([0xff]))?.length).to.equal(0);
      });

      it('reads many keys in order, with undefined for missing ones', async () => {
        await putFlushed([['a', '1']]);
        store.put(b('b'), b('2'));
        expect(store.getMany([b('b'), b('x'), b('a'), b('b')]).map(text)).to.deep.equal(['2', undefined, '1', '2']);
        expect(store.getMany([])).to.deep.equal([]);
      });

      it('writes every entry of putAll, the later of two equal keys winning', () => {
        store.putAll([
          { key: b('a'), value: b('1') },
          { key: b('b'), value: b('2') },
          { key: b('a'), value: b('3') },
        ]);
        expect(store.getMany([b('a'), b('b')]).map(text)).to.deep.equal(['3', '2']);
      });

      it('checks every putAll entry before writing any', () => {
        const bad = [{ key: b('a'), value: b('1') }, { key: 'b', value: b('2') }] as unknown as KeyValue[];
        expect(() => store.putAll(bad)).to.throw(TypeError);
        expect(store.get(b('a'))).to.equal(undefined);
      });
    });

    describe('delete', () => {
      it('returns the previous value and removes the key, flushed or not', async () => {
        await putFlushed([['a', '1']]);
        store.put(b('b'), b('2'));
        expect(text(store.delete(b('a')))).to.equal('1');
        expect(text(store.delete(b('b')))).to.equal('2');
        expect(store.get(b('a'))).to.equal(undefined);
        expect(store.get(b('b'))).to.equal(undefined);
        await store.flush();
        expect(store.getMany([b('a'), b('b')])).to.deep.equal([undefined, undefined]);
      });

      it('returns undefined for a missing key and lets the key be written again', () => {
        expect(store.delete(b('nope'))).to.equal(undefined);
        store.put(b('nope'), b('now'));
        expect(text(store.get(b('nope')))).to.equal('now');
      });
    });

    describe('range', () => {
      beforeEach(async () => {
        await putFlushed([['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
      });

      it('scans every key in ascending order by default', async () => {
        expect(await pairs(store.range())).to.deep.equal([['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
      });

      it('includes both bounds', async () => {
        expect(await pairs(store.range({ from: b('b'), to: b('c') }))).to.deep.equal([['b', '2'], ['c', '3']]);
        expect(await pairs(store.range({ from: b('b'), to: b('b') }))).to.deep.equal([['b', '2']]);
      });

      it('accepts bounds that are not keys and one-sided bounds', async () => {
        expect(await pairs(store.range({ from: b('aa'), to: b('cc') }))).to.deep.equal([['b', '2'], ['c', '3']]);
        expect((await pairs(store.range({ from: b('c') }))).map(([k]) => k)).to.deep.equal(['c', 'd']);
        expect((await pairs(store.range({ to: b('b') }))).map(([k]) => k)).to.deep.equal(['a', 'b']);
      });

      it('scans in descending order when reverse', async () => {
        expect((await pairs(store.range({ reverse: true }))).map(([k]) => k)).to.deep.equal(['d', 'c', 'b', 'a']);
        const bounded = await pairs(store.range({ from: b('b'), to: b('c'), reverse: true }));
        expect(bounded.map(([k]) => k)).to.deep.equal(['c', 'b']);
      });

      it('is empty when from is after to, or when no key is inside', async () => {
        expect(await pairs(store.range({ from: b('c'), to: b('b') }))).to.deep.equal([]);
        expect(await pairs(store.range({ from: b('x'), to: b('z') }))).to.deep.equal([]);
      });

      it('orders keys as unsigned bytes', async () => {
        for (const key of [[0x80], [0x7f], [0x7f, 0x00], [0xff], [0x00]]) store.put(hex(key), b('v'));
        const scanned = await keysHex(store.range({ from: hex([0x00]), to: hex([0xff]) }));
        expect(scanned).to.deep.equal(['00', '61', '62', '63', '64', '7f', '7f00', '80', 'ff']);
      });

      it('merges unflushed puts and deletes with flushed data', async () => {
        store.delete(b('b'));
        store.put(b('c'), b('33'));
        store.put(b('bb'), b('22'));
        store.put(b('e'), b('5'));
        const expected = [['a', '1'], ['bb', '22'], ['c', '33'], ['d', '4'], ['e', '5']];
        expect(await pairs(store.range())).to.deep.equal(expected);
        expect(await pairs(store.range({ reverse: true }))).to.deep.equal([...expected].reverse());
        await store.flush();
        expect(await pairs(store.all())).to.deep.equal(expected);
      });

      it('can be left early and the store stays usable', async () => {
        for await (const { key } of store.range()) if (key.toString() === 'b') break;
        store.put(b('z'), b('26'));
        expect((await pairs(store.range({ from: b('d') }))).map(([k]) => k)).to.deep.equal(['d', 'z']);
      });
    });

    describe('prefixScan and all', () => {
      it('scans exactly the keys that start with the prefix, in order', async () => {
        await putFlushed([['ab', '1'], ['a', '0'], ['abc', '2'], ['b', '3'], ['aa', '4']]);
        store.put(b('ac'), b('5'));
        expect((await pairs(store.prefixScan(b('a')))).map(([k]) => k)).to.deep.equal(['a', 'aa', 'ab', 'abc', 'ac']);
        expect((await pairs(store.prefixScan(b('ab')))).map(([k]) => k)).to.deep.equal(['ab', 'abc']);
        expect(await pairs(store.prefixScan(b('x')))).to.deep.equal([]);
      });

      it('handles prefixes ending in 0xff', async () => {
        for (const key of [[0xfe], [0xfe, 0xff], [0xff], [0xff, 0x00], [0xff, 0xff], [0xff, 0xff, 0x01]]) {
          store.put(hex(key), b('v'));
        }
        expect(await keysHex(store.prefixScan(hex([0xff])))).to.deep.equal(['ff', 'ff00', 'ffff', 'ffff01']);
        expect(await keysHex(store.prefixScan(hex([0xff, 0xff])))).to.deep.equal(['ffff', 'ffff01']);
        expect(await keysHex(store.prefixScan(hex([0xfe])))).to.deep.equal(['fe', 'feff']);
      });

      it('all() lists every entry in key order; an empty store has none', async () => {
        expect(await pairs(store.all())).to.deep.equal([]);
        store.putAll([{ key: b('b'), value: b('2') }, { key: b('a'), value: b('1') }]);
        expect(await pairs(store.all())).to.deep.equal([['a', '1'], ['b', '2']]);
      });
    });

    describe('approximateNumEntries', () => {
      it('counts keys through puts, overwrites, deletes and flushes', async function () {
        await putFlushed([['a', '1'], ['b', '2'], ['c', '3']]);
        store.put(b('a'), b('11'));
        store.put(b('d'), b('4'));
        store.delete(b('b'));
        store.delete(b('missing'));
        const count = await store.approximateNumEntries();
        if (exactCount) expect(count).to.equal(3);
        else expect(count).to.be.at.least(0);
        await store.flush();
        if (exactCount) expect(await store.approximateNumEntries()).to.equal(3);
      });
    });

    describe('flush, close and reopen', () => {
      it('keeps flushed data across close and open when persistent, and starts empty otherwise', async () => {
        await putFlushed([['a', '1'], ['b', '2']]);
        await store.close();
        await store.open();
        if (store.persistent) expect(await pairs(store.all())).to.deep.equal([['a', '1'], ['b', '2']]);
        else expect(await pairs(store.all())).to.deep.equal([]);
      });

      it('writes unflushed puts and deletes on close', async () => {
        await putFlushed([['a', '1'], ['b', '2']]);
        store.put(b('c'), b('3'));
        store.delete(b('a'));
        await store.close();
        await store.open();
        const expected = store.persistent ? [['b', '2'], ['c', '3']] : [];
        expect(await pairs(store.all())).to.deep.equal(expected);
        expect(text(store.get(b('c')))).to.equal(store.persistent ? '3' : undefined);
      });

      if (options.reopen !== undefined) {
        const reopen = options.reopen;
        it('lets a new instance over the same storage read the data', async () => {
          store.putAll([{ key: b('a'), value: b('1') }, { key: b('b'), value: b('2') }]);
          await store.close();
          const again = await reopen(store);
          opened.push(again);
          await again.open();
          expect(again.persistent).to.equal(true);
          expect(await pairs(again.all())).to.deep.equal([['a', '1'], ['b', '2']]);
        });
      }
    });

    describe('lifecycle', () => {
      it('reports whether it is open; open and close twice are harmless', async () => {
        expect(store.isOpen).to.equal(true);
        await store.open();
        await store.close();
        expect(store.isOpen).to.equal(false);
        await store.close();
        expect(store.isOpen).to.equal(false);
      });

      it('throws STREAMS_STORE_NOT_OPEN for every operation on a closed store', async () => {
        await store.close();
        const code = 'STREAMS_STORE_NOT_OPEN';
        await expectCode(() => store.get(b('a')), code);
        await expectCode(() => store.getMany([b('a')]), code);
        await expectCode(() => store.put(b('a'), b('1')), code);
        await expectCode(() => store.putAll([{ key: b('a'), value: b('1') }]), code);
        await expectCode(() => store.delete(b('a')), code);
        await expectCode(() => store.range(), code);
        await expectCode(() => store.prefixScan(b('a')), code);
        await expectCode(() => store.all(), code);
        await expectCode(() => store.flush(), code);
        await expectCode(() => store.approximateNumEntries(), code);
      });

      it('throws STREAMS_STORE_NOT_OPEN before the first open', async () => {
        const unopened = await options.factory();
        opened.push(unopened);
        expect(unopened.isOpen).to.equal(false);
        await expectCode(() => unopened.get(b('a')), 'STREAMS_STORE_NOT_OPEN');
        await expectCode(() => unopened.put(b('a'), b('1')), 'STREAMS_STORE_NOT_OPEN');
      });

      it('stops a scan with STREAMS_STORE_NOT_OPEN when the store closes under it', async () => {
        await putFlushed([['a', '1'], ['b', '2'], ['c', '3']]);
        const scan = store.all()[Symbol.asyncIterator]();
        expect((await scan.next()).done).to.equal(false);
        await store.close();
        await expectCode(() => scan.next(), 'STREAMS_STORE_NOT_OPEN');
      });
    });

    describe('argument checks', () => {
      it('throws TypeError for keys, values and bounds that are not Buffers', () => {
        const any = store as unknown as Record<string, (...args: unknown[]) => unknown>;
        expect(() => any.get!('a')).to.throw(TypeError);
        expect(() => any.put!(b('a'), 'v')).to.throw(TypeError);
        expect(() => any.put!(undefined, b('v'))).to.throw(TypeError);
        expect(() => any.getMany!([b('a'), null])).to.throw(TypeError);
        expect(() => any.delete!(42)).to.throw(TypeError);
        expect(() => store.range({ from: 'a' } as unknown as RangeOptions)).to.throw(TypeError);
        expect(() => any.prefixScan!('a')).to.throw(TypeError);
      });
    });

    describe('model check', () => {
      it('behaves like a sorted map under random operations', async () => {
        await fc.assert(fc.asyncProperty(operationsArbitrary(), (ops) => runAgainstModel(fresh, ops)), {
          numRuns: options.propertyRuns ?? 30,
        });
      });
    });
  });
}

type Operation =
  | { op: 'put'; key: Buffer; value: Buffer }
  | { op: 'putAll'; entries: KeyValue[] }
  | { op: 'delete'; key: Buffer }
  | { op: 'get'; key: Buffer }
  | { op: 'range'; from: Buffer | null; to: Buffer | null; reverse: boolean }
  | { op: 'prefix'; prefix: Buffer }
  | { op: 'flush' }
  | { op: 'reopen' };

function operationsArbitrary(): fc.Arbitrary<Operation[]> {
  // Few distinct bytes, so keys collide and share prefixes often.
  const key = fc.array(fc.constantFrom(0x00, 0x61, 0x7f, 0x80, 0xff), { minLength: 1, maxLength: 3 }).map((a) => Buffer.from(a));
  const value = fc.uint8Array({ maxLength: 3 }).map((a) => Buffer.from(a));
  return fc.array(
    fc.oneof(
      { arbitrary: fc.record({ op: fc.constant('put' as const), key, value }), weight: 5 },
      { arbitrary: fc.record({ op: fc.constant('putAll' as const), entries: fc.array(fc.record({ key, value }), { maxLength: 4 }) }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant('delete' as const), key }), weight: 2 },
      { arbitrary: fc.record({ op: fc.constant('get' as const), key }), weight: 2 },
      { arbitrary: fc.record({ op: fc.constant('range' as const), from: fc.option(key), to: fc.option(key), reverse: fc.boolean() }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant('prefix' as const), prefix: key }), weight: 1 },
      { arbitrary: fc.constant({ op: 'flush' as const }), weight: 1 },
      { arbitrary: fc.constant({ op: 'reopen' as const }), weight: 1 },
    ),
    { maxLength: 40 },
  );
}

async function runAgainstModel(fresh: () => Promise<KeyValueStore>, ops: Operation[]): Promise<void> {
  const store = await fresh();
  const model = new Map<string, string>();
  const sortedModel = (filter: (key: Buffer) => boolean, reverse: boolean) => {
    const keys = [...model.keys()].map((k) => Buffer.from(k, 'hex')).filter(filter).sort(Buffer.compare);
    if (reverse) keys.reverse();
    return keys.map((k) => `${k.toString('hex')}=${model.get(k.toString('hex'))}`);
  };
  const scanned = async (scan: AsyncIterable<KeyValue>) => {
    const out: string[] = [];
    for await (const { key, value } of scan) out.push(`${key.toString('hex')}=${value.toString('hex')}`);
    return out;
  };
  try {
    for (const op of ops) {
      switch (op.op) {
        case 'put':
          store.put(op.key, op.value);
          model.set(op.key.toString('hex'), op.value.toString('hex'));
          break;
        case 'putAll':
          store.putAll(op.entries);
          for (const { key, value } of op.entries) model.set(key.toString('hex'), value.toString('hex'));
          break;
        case 'delete':
          expect(store.delete(op.key)?.toString('hex')).to.equal(model.get(op.key.toString('hex')));
          model.delete(op.key.toString('hex'));
          break;
        case 'get':
          expect(store.get(op.key)?.toString('hex')).to.equal(model.get(op.key.toString('hex')));
          break;
        case 'range': {
          const range: RangeOptions = { reverse: op.reverse };
          if (op.from !== null) range.from = op.from;
          if (op.to !== null) range.to = op.to;
          const inside = (k: Buffer) =>
            (op.from === null || Buffer.compare(k, op.from) >= 0) && (op.to === null || Buffer.compare(k, op.to) <= 0);
          expect(await scanned(store.range(range))).to.deep.equal(sortedModel(inside, op.reverse));
          break;
        }
        case 'prefix': {
          const inside = (k: Buffer) => k.subarray(0, op.prefix.length).equals(op.prefix);
          expect(await scanned(store.prefixScan(op.prefix))).to.deep.equal(sortedModel(inside, false));
          break;
        }
        case 'flush':
          await store.flush();
          break;
        case 'reopen':
          await store.close();
          await store.open();
          if (!store.persistent) model.clear();
          break;
      }
    }
    expect(await scanned(store.all())).to.deep.equal(sortedModel(() => true, false));
  } finally {
    await store.close();
  }
}
