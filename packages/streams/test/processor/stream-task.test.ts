import { expect } from 'chai';
import type { LogRecord } from '../../src/log/types.js';
import { StreamTask, type StreamTaskOptions } from '../../src/processor/internals/stream-task.js';
import type { OutgoingRecord } from '../../src/processor/internals/record-collector.js';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import type { StreamRecord } from '../../src/processor/record.js';
import { keyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import type { TypedKeyValueStore } from '../../src/state/typed/typed-key-value-store.js';
import { skipOnInvalidTimestamp } from '../../src/processor/timestamp-extractor.js';
import { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';
import { Stores } from '../../src/state/stores.js';

const str = Serdes.string();
const int = Serdes.int32();

/** src(in) -> count (store 'counts') -> sink(out): counts records per key. */
function countingTopology(options: { fail?: (r: StreamRecord<string, string>) => boolean; async?: boolean } = {}): Topology {
  return new Topology()
    .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
    .addProcessor<string, string, string, number>(
      'count',
      () => {
        let context: ProcessorContext<string, number>;
        let store: TypedKeyValueStore<string, number>;
        const step = (r: StreamRecord<string, string>) => {
          if (options.fail?.(r)) throw new Error('boom');
          const n = (store.get(r.key) ?? 0) + 1;
          store.put(r.key, n);
          context.forward({ ...r, value: n });
        };
        return {
          init: (c) => {
            context = c;
            store = c.getStateStore('counts');
          },
          process: (r) => (options.async ? Promise.resolve().then(() => step(r)) : step(r)),
        };
      },
      'src',
    )
    .addStateStore(keyValueStoreBuilder({ name: 'counts', keySerde: str, valueSerde: int }), 'count')
    .addSink({ name: 'out', topic: 'out', keySerde: str, valueSerde: int }, 'count');
}

function taskFor(topology: Topology, extra: Partial<StreamTaskOptions> = {}) {
  const sent: OutgoingRecord[] = [];
  const task = new StreamTask({
    taskId: { subtopology: 0, partition: 3 },
    applicationId: 'app',
    subtopology: topology.plan('app').subtopologies[0]!,
    storeFactory: { keyValueStore: (spec) => Stores.inMemoryKeyValueStore(spec.name) },
    collector: { send: (r) => sent.push(r), partitionsFor: () => 8 },
    clock: { now: () => 1_000 },
    ...extra,
  });
  return { task, sent };
}

let offset = 0;
const input = (key: string | null, value: string | null, timestamp = 10, topic = 'in'): LogRecord => ({
  topic,
  partition: 3,
  offset: offset++,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: {},
  timestamp,
});

describe('Processor > StreamTask', () => {
  it('refuses to process before initialize() with STREAMS_TASK_NOT_RUNNING', () => {
    const { task } = taskFor(countingTopology());
    expect(() => task.process(input('a', 'x'))).to.throw().with.property('code', 'STREAMS_TASK_NOT_RUNNING');
  });

  it('sends sink output by key and changelog records to the task partition', async () => {
    const { task, sent } = taskFor(countingTopology());
    await task.initialize();
    task.process(input('a', 'x', 42));
    expect(sent.map((r) => [r.topic, r.key?.toString(), r.partition, r.timestamp])).to.deep.equal([
      ['app-counts-changelog', 'a', 3, 42],
      ['out', 'a', undefined, 42],
    ]);
    expect(sent[1]!.value!.readInt32BE()).to.equal(1);
    expect(task.changelogPartitions()).to.deep.equal([{ storeName: 'counts', topic: 'app-counts-changelog', partition: 3 }]);
  });

  it('restores changelog records into the store without logging them again', async () => {
    const { task, sent } = taskFor(countingTopology());
    await task.initializeStores();
    const changelog = (key: string, n: number | null): LogRecord => ({
      ...input(key, null),
      topic: 'app-counts-changelog',
      value: n === null ? null : int.serialize(n),
    });
    task.restore('counts', [changelog('a', 5), changelog('b', 2), changelog('b', null)]);
    await task.initialize();
    expect(sent).to.have.length(0);
    task.process(input('a', 'x'));
    task.process(input('b', 'x'));
    expect(sent.filter((r) => r.topic === 'out').map((r) => r.value!.readInt32BE())).to.deep.equal([6, 1]);
  });

  it("fails on an undecodable record with STREAMS_SERDE_DECODE, or hands it to the dead-letter callback with 'continue'", async () => {
    const topology = new Topology()
      .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: Serdes.json() })
      .addSink({ name: 'out', topic: 'out', keySerde: str, valueSerde: Serdes.json() }, 'src');
    const failing = taskFor(topology);
    await failing.task.initialize();
    expect(() => failing.task.process(input('a', '{nope'))).to.throw().with.property('code', 'STREAMS_SERDE_DECODE');

    const dead: LogRecord[] = [];
    const lenient = taskFor(topology, { deserializationExceptionHandler: 'continue', onDeadLetter: (r) => dead.push(r) });
    await lenient.task.initialize();
    const bad = input('a', '{nope');
    lenient.task.process(bad);
    lenient.task.process(input('b', '{"ok":true}'));
    expect(dead).to.deep.equal([bad]);
    expect(lenient.sent.map((r) => r.key?.toString())).to.deep.equal(['b']);
  });

  it('fails on a negative timestamp by default and drops the record with a skipping extractor', async () => {
    const strict = taskFor(countingTopology());
    await strict.task.initialize();
    expect(() => strict.task.process(input('a', 'x', -1))).to.throw().with.property('code', 'STREAMS_INVALID_TIMESTAMP');

    const topology = new Topology()
      .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str, timestampExtractor: skipOnInvalidTimestamp })
      .addSink({ name: 'out', topic: 'out', keySerde: str, valueSerde: str }, 'src');
    const lenient = taskFor(topology);
    await lenient.task.initialize();
    lenient.task.process(input('a', 'x', -5));
    lenient.task.process(input('b', 'x', 7));
    expect(lenient.sent.map((r) => r.key?.toString())).to.deep.equal(['b']);
    expect(lenient.task.streamTimeMs).to.equal(7);
  });

  it('wraps a processor error in STREAMS_PROCESSING_FAILED with the original as cause', async () => {
    const { task } = taskFor(countingTopology({ fail: (r) => r.key === 'bad' }));
    await task.initialize();
    const err = (() => {
      try {
        task.process(input('bad', 'x'));
      } catch (e) {
        return e as { code: string; cause: Error };
      }
      return undefined;
    })();
    expect(err?.code).to.equal('STREAMS_PROCESSING_FAILED');
    expect(err?.cause.message).to.equal('boom');
  });

  it('returns undefined for synchronous processors and a promise when a processor returns one', async () => {
    const sync = taskFor(countingTopology());
    await sync.task.initialize();
    expect(sync.task.process(input('a', 'x'))).to.equal(undefined);

    const async = taskFor(countingTopology({ async: true }));
    await async.task.initialize();
    const result = async.task.process(input('a', 'x'));
    expect(result).to.be.instanceOf(Promise);
    expect(async.sent.filter((r) => r.topic === 'out')).to.have.length(0);
    await result;
    expect(async.sent.filter((r) => r.topic === 'out')).to.have.length(1);
  });

  it('rejects the returned promise with STREAMS_PROCESSING_FAILED when an async processor fails', async () => {
    const { task } = taskFor(countingTopology({ async: true, fail: () => true }));
    await task.initialize();
    const err = await (task.process(input('a', 'x')) as Promise<void>).then(
      () => undefined,
      (e: unknown) => e as { code: string },
    );
    expect(err?.code).to.equal('STREAMS_PROCESSING_FAILED');
  });

  it('asks the collector for the partition count when a sink has a custom partitioner', async () => {
    const seen: number[] = [];
    const topology = new Topology()
      .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
      .addSink(
        {
          name: 'out',
          topic: 'out',
          keySerde: str,
          valueSerde: str,
          partitioner: (record, _topic, n) => {
            seen.push(n);
            return record.value.length % n;
          },
        },
        'src',
      );
    const { task, sent } = taskFor(topology);
    await task.initialize();
    task.process(input('a', 'abcdefghijk'));
    expect(seen).to.deep.equal([8]);
    expect(sent[0]!.partition).to.equal(11 % 8);
  });

  it('closes processors and stores, after which processing is refused', async () => {
    let closed = 0;
    const topology = new Topology()
      .addSource({ name: 'src', topics: 'in', keySerde: str, valueSerde: str })
      .addProcessor('p', () => ({ process: () => undefined, close: () => void closed++ }), 'src');
    const { task } = taskFor(topology);
    await task.initialize();
    await task.close();
    expect(closed).to.equal(1);
    expect(() => task.process(input('a', 'x'))).to.throw().with.property('code', 'STREAMS_TASK_NOT_RUNNING');
  });
});
