import { expect } from 'chai';
import fc from 'fast-check';
import type { LogRecord } from '../../src/log/types.js';
import type { ChangeLogger } from '../../src/state/builders/store-builder.js';
import { keyValueStoreBuilder, timestampedKeyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import { timestampedValueCodec } from '../../src/state/typed/store-value-codec.js';
import { Serdes } from '../../src/serde/serdes.js';
import { Stores } from '../../src/state/stores.js';

const str = Serdes.string();
const factory = { keyValueStore: (spec: { name: string }) => Stores.inMemoryKeyValueStore(spec.name) };

function logger() {
  const logged: { key: string; value: Buffer | null; timestamp: number }[] = [];
  const changelog: ChangeLogger = { log: (key, value, timestamp) => void logged.push({ key: key.toString(), value, timestamp }) };
  return { logged, changelog };
}

const toRecords = (logged: { key: string; value: Buffer | null; timestamp: number }[]): LogRecord[] =>
  logged.map((l, offset) => ({ topic: 'c', partition: 0, offset, key: Buffer.from(l.key), value: l.value, headers: {}, timestamp: l.timestamp }));

describe('State > Typed stores', () => {
  it('logs every put, putAll and delete with the current record timestamp', async () => {
    const { logged, changelog } = logger();
    let now = 5;
    const built = keyValueStoreBuilder({ name: 's', keySerde: str, valueSerde: str }).build({
      factory,
      taskId: { subtopology: 0, partition: 0 },
      changelog,
      currentTimestamp: () => now,
    });
    await built.inner.open();
    const store = built.facade;
    store.put('a', '1');
    now = 6;
    store.putAll([{ key: 'b', value: '2' }, { key: 'c', value: '3' }]);
    expect(store.putIfAbsent('a', 'x')).to.equal('1');
    expect(store.delete('b')).to.equal('2');
    expect(logged.map((l) => [l.key, l.value?.toString() ?? null, l.timestamp])).to.deep.equal([
      ['a', '1', 5],
      ['b', '2', 6],
      ['c', '3', 6],
      ['b', null, 6],
    ]);
    const all: [string, string][] = [];
    for await (const kv of store.all()) all.push([kv.key, kv.value]);
    expect(all).to.deep.equal([['a', '1'], ['c', '3']]);
  });

  it('logs nothing when logging is disabled', async () => {
    const { logged, changelog } = logger();
    const builder = keyValueStoreBuilder({ name: 's', keySerde: str, valueSerde: str }).withLoggingDisabled();
    expect(builder.loggingEnabled).to.equal(false);
    const built = builder.build({ factory, taskId: null, changelog, currentTimestamp: () => 0 });
    await built.inner.open();
    built.facade.put('a', '1');
    expect(logged).to.have.length(0);
  });

  it('logs bare values with the value timestamp from a timestamped store and restores them with it', async () => {
    const { logged, changelog } = logger();
    const builder = timestampedKeyValueStoreBuilder({ name: 't', keySerde: str, valueSerde: str });
    const built = builder.build({ factory, taskId: null, changelog, currentTimestamp: () => 999 });
    await built.inner.open();
    built.facade.put('a', { value: 'x', timestamp: 42 });
    built.facade.put('b', { value: 'y', timestamp: 43 });
    built.facade.delete('b');
    expect(logged.map((l) => [l.key, l.value?.toString() ?? null, l.timestamp])).to.deep.equal([
      ['a', 'x', 42],
      ['b', 'y', 43],
      ['b', null, 999],
    ]);
    const restored = builder.build({ factory, taskId: null, changelog: null, currentTimestamp: () => 0 });
    await restored.inner.open();
    restored.restore(toRecords(logged));
    expect(restored.facade.get('a')).to.deep.equal({ value: 'x', timestamp: 42 });
    expect(restored.facade.get('b')).to.equal(undefined);
    expect(restored.keyValueView!.get('a')).to.equal('x');
  });

  it('round-trips any value and timestamp through the timestamped format', () => {
    const codec = timestampedValueCodec(str);
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (value, timestamp) => {
        const stored = codec.encode({ value, timestamp });
        expect(codec.decode(stored)).to.deep.equal({ value, timestamp });
        expect(codec.decode(codec.fromChangelog(codec.toChangelog(stored), timestamp))).to.deep.equal({ value, timestamp });
      }),
    );
  });

  it('rejects put with a null value: delete is the way to remove a key', async () => {
    const built = keyValueStoreBuilder({ name: 's', keySerde: str, valueSerde: str }).build({
      factory,
      taskId: null,
      changelog: null,
      currentTimestamp: () => 0,
    });
    await built.inner.open();
    expect(() => built.facade.put('a', null as never)).to.throw(TypeError);
  });
});
