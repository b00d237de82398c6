import { expect } from 'chai';
import { sessionStoreBuilder } from '../../src/state/builders/session-store-builder.js';
import { TimeIndexedWindowStore } from '../../src/state/typed/time-indexed-window-store.js';
import type { SerdeSessionStore } from '../../src/state/typed/typed-session-store.js';
import type { SerdeWindowStore } from '../../src/state/typed/typed-window-store.js';
import { timestampedWindowStoreBuilder, windowStoreBuilder } from '../../src/state/builders/window-store-builder.js';
import type { ByteStoreFactory, StoreBuildContext } from '../../src/state/builders/store-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { Stores } from '../../src/state/stores.js';

const str = Serdes.string();
const int = Serdes.int32();

function context(logged: { key: Buffer; value: Buffer | null; timestamp: number }[] = []): StoreBuildContext {
  const factory: ByteStoreFactory = {
    keyValueStore: (spec) => Stores.inMemoryKeyValueStore(spec.name),
    windowStore: (spec) => Stores.inMemoryWindowStore(spec.name, { retentionMs: spec.retentionMs }),
  };
  return { factory, taskId: { subtopology: 0, partition: 0 }, changelog: { log: (key, value, timestamp) => logged.push({ key, value, timestamp }) }, currentTimestamp: () => 77 };
}

describe('DSL > Window and session stores', () => {
  it('a window store builder needs a factory that makes window stores, and a valid retention', () => {
    const builder = windowStoreBuilder({ name: 'w', keySerde: str, valueSerde: int, retentionMs: 10 });
    const noWindows: StoreBuildContext = { ...context(), factory: { keyValueStore: (spec) => Stores.inMemoryKeyValueStore(spec.name) } };
    expect(() => builder.build(noWindows)).to.throw(TypeError);
    expect(() => windowStoreBuilder({ name: 'w', keySerde: str, valueSerde: int, retentionMs: -1 })).to.throw(RangeError);
    expect(builder.withLoggingDisabled().loggingEnabled).to.equal(false);
  });

  it('a timestamped window store logs bare values keyed by key + start, timestamped by the value, and restores them', async () => {
    const logged: { key: Buffer; value: Buffer | null; timestamp: number }[] = [];
    const builder = timestampedWindowStoreBuilder({ name: 'w', keySerde: str, valueSerde: int, retentionMs: 100 });
    const built = builder.build(context(logged));
    await built.inner.open();
    built.facade.put('k', { value: 5, timestamp: 42 }, 10);
    built.facade.put('k', null, 20);
    expect(logged.map((l) => [l.key.subarray(0, 1).toString(), l.key.readBigUInt64BE(1), l.value?.readInt32BE(0) ?? null, l.timestamp])).to.deep.equal([
      ['k', 10n, 5, 42],
      ['k', 20n, null, 77],
    ]);
    const copy = builder.build(context());
    await copy.inner.open();
    copy.restore(logged.map((l, offset) => ({ ...l, topic: 'c', partition: 0, offset, headers: {} })));
    expect(copy.facade.fetch('k', 10)).to.deep.equal({ value: 5, timestamp: 42 });
    expect(copy.facade.fetchRange('k', 0, 100).map((w) => w.windowStart)).to.deep.equal([10]);
  });

  it('a time index lists windows of all keys by start, follows deletions and expires with retention', async () => {
    const built = timestampedWindowStoreBuilder({ name: 'w', keySerde: str, valueSerde: int, retentionMs: 20, timeIndexed: true }).build(context());
    expect(built.inner).to.be.instanceOf(TimeIndexedWindowStore);
    await built.inner.open();
    const store = built.facade as SerdeWindowStore<string, { value: number; timestamp: number }>;
    store.put('b', { value: 1, timestamp: 0 }, 0);
    store.put('a', { value: 2, timestamp: 0 }, 0);
    store.put('a', { value: 3, timestamp: 0 }, 10);
    store.put('b', null, 0);
    expect(store.windowsBetween(0, 10).map((w) => `${w.key}@${w.windowStart}`)).to.deep.equal(['a@0', 'a@10']);
    store.put('c', { value: 4, timestamp: 0 }, 25); // expires windows starting before 5
    expect(store.windowsBetween(0, 100).map((w) => `${w.key}@${w.windowStart}`)).to.deep.equal(['a@10', 'c@25']);
    expect(store.highestWindowStart()).to.equal(25);
    const plain = timestampedWindowStoreBuilder({ name: 'p', keySerde: str, valueSerde: int, retentionMs: 20 }).build(context());
    expect(() => (plain.facade as SerdeWindowStore<string, unknown>).windowsBetween(0, 1)).to.throw(TypeError);
  });

  it('a session store finds the sessions overlapping a range, removes exact sessions only, and restores from its changelog', async () => {
    const logged: { key: Buffer; value: Buffer | null; timestamp: number }[] = [];
    const builder = sessionStoreBuilder({ name: 's', keySerde: str, valueSerde: int, retentionMs: 1000 });
    const built = builder.build(context(logged));
    await built.inner.open();
    const store = built.facade as SerdeSessionStore<string, number>;
    store.put({ key: 'k', window: { start: 0, end: 5 } }, 2);
    store.put({ key: 'k', window: { start: 10, end: 10 } }, 1);
    store.put({ key: 'k', window: { start: 20, end: 30 } }, 7);
    store.put({ key: 'other', window: { start: 0, end: 40 } }, 9);
    const find = (from: number, to: number) => store.findSessions('k', from, to).map((s) => `${s.key.window.start}-${s.key.window.end}=${s.value}`);
    expect(find(4, 12)).to.deep.equal(['0-5=2', '10-10=1']);
    expect(find(6, 25)).to.deep.equal(['10-10=1', '20-30=7']);
    expect(find(31, 100)).to.deep.equal([]);
    store.remove({ key: 'k', window: { start: 9, end: 10 } }); // not this session: no-op
    expect(store.fetchSession('k', 10, 10)).to.equal(1);
    store.remove({ key: 'k', window: { start: 10, end: 10 } });
    expect(store.fetchSession('k', 10, 10)).to.equal(undefined);
    expect(store.highestSessionEnd()).to.equal(40);
    const copy = builder.build(context());
    await copy.inner.open();
    copy.restore(logged.map((l, offset) => ({ ...l, topic: 'c', partition: 0, offset, headers: {} })));
    expect((copy.facade as SerdeSessionStore<string, number>).findSessions('k', 0, 100).map((s) => s.value)).to.deep.equal([2, 7]);
  });
});
