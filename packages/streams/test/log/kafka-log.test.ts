import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { StreamsError } from '../../src/errors.js';
import { KafkaClient } from '../../src/log/kafka/kafka-client.js';
import { KafkaLog } from '../../src/log/kafka/kafka-log.js';
import { resolveKafkaLogOptions } from '../../src/log/kafka/kafka-log-options.js';
import { produce } from '../../src/log/kafka/produce-request.js';
import { encodeRecordBatch } from '../../src/log/kafka/record-batch.js';
import type { KafkaLogOptions } from '../../src/log/kafka/kafka-log-options.js';
import type { LogConsumer, LogRecord } from '../../src/log/types.js';
import { describeIfKafka, kafkaBrokers } from '../helpers/services.js';

const b = (s: string) => Buffer.from(s);

interface ProducerIdBroker {
  initProducerId(request: { transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
}
const s = (buf: Buffer | null) => (buf === null ? null : buf.toString());

async function expectCode(promise: Promise<unknown>, code: string): Promise<StreamsError> {
  try {
    await promise;
  } catch (err) {
    expect((err as StreamsError).code, String(err)).to.equal(code);
    return err as StreamsError;
  }
  return expect.fail(`expected an error with code ${code}`);
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function untilAsync(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeIfKafka('Log > Kafka > broker', function () {
  this.timeout(30_000);
  let prefix: string;
  const logs: KafkaLog[] = [];
  const consumers: LogConsumer[] = [];
  const topic = (name: string) => `${prefix}-${name}`;

  async function openLog(extra: Partial<KafkaLogOptions> = {}): Promise<KafkaLog> {
    const log = new KafkaLog({ brokers: kafkaBrokers(), heartbeatIntervalMs: 300, sessionTimeoutMs: 10_000, consumerMaxWaitMs: 200, ...extra });
    await log.open();
    logs.push(log);
    return log;
  }

  function track(consumer: LogConsumer): LogConsumer {
    consumers.push(consumer);
    return consumer;
  }

  beforeEach(() => {
    prefix = `k${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await Promise.all(logs.splice(0).map((l) => l.close()));
  });

  describe('errors', () => {
    it('maps unknown topics, partitions and offsets to their codes', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('a'), partitions: 2 }]);
      await log.append(topic('a'), [{ key: null, value: b('v'), partition: 0 }]);
      const missing = { topic: topic('missing'), partition: 0 };
      const noPartition = { topic: topic('a'), partition: 5 };
      await expectCode(log.read(missing, 0), 'STREAMS_TOPIC_NOT_FOUND');
      await expectCode(log.endOffset(missing), 'STREAMS_TOPIC_NOT_FOUND');
      await expectCode(log.deleteTopics([topic('missing')]), 'STREAMS_TOPIC_NOT_FOUND');
      await expectCode(log.read(noPartition, 0), 'STREAMS_PARTITION_NOT_FOUND');
      await expectCode(log.beginningOffset(noPartition), 'STREAMS_PARTITION_NOT_FOUND');
      await expectCode(log.offsetForTimestamp(noPartition, 0), 'STREAMS_PARTITION_NOT_FOUND');
      await expectCode(log.commitOffsets('g', [{ ...noPartition, offset: 1 }]), 'STREAMS_PARTITION_NOT_FOUND');
      const past = await expectCode(log.read({ topic: topic('a'), partition: 0 }, 2), 'STREAMS_OFFSET_OUT_OF_RANGE');
      expect((past.cause as Error).name).to.match(/^KafkaJS/);
    });

    it('wraps a config the broker refuses as STREAMS_KAFKA_ERROR with the kafkajs error as cause', async () => {
      const log = await openLog({ topicConfigs: { 'segment.bytes': 'not-a-number' } });
      const err = await expectCode(log.createTopics([{ name: topic('a') }]), 'STREAMS_KAFKA_ERROR');
      expect((err.cause as Error).name).to.match(/^KafkaJS/);
      expect(await log.listTopics()).not.to.include(topic('a'));
    });

    it('creates none of the topics of a call when one of them exists', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('a') }]);
      await expectCode(log.createTopics([{ name: topic('b') }, { name: topic('a') }]), 'STREAMS_TOPIC_EXISTS');
      expect(await log.listTopics()).not.to.include(topic('b'));
    });
  });

  describe('topics', () => {
    it('creates topics with the retention settings it describes', async () => {
      const log = await openLog();
      await log.createTopics([
        { name: topic('d'), config: { retentionMs: 3_600_000 } },
        { name: topic('c'), partitions: 3, config: { cleanupPolicy: 'compact', deleteRetentionMs: 1000 } },
      ]);
      expect(await log.describeTopic(topic('d'))).to.deep.equal({
        name: topic('d'),
        partitions: 1,
        config: { cleanupPolicy: 'delete', retentionMs: 3_600_000, deleteRetentionMs: 86_400_000 },
      });
      expect(await log.describeTopic(topic('c'))).to.deep.equal({
        name: topic('c'),
        partitions: 3,
        config: { cleanupPolicy: 'compact', retentionMs: -1, deleteRetentionMs: 1000 },
      });
    });

    it('keeps appending after another client deleted a topic this log had used', async () => {
      const log = await openLog();
      const other = await openLog();
      await log.createTopics([{ name: topic('gone') }, { name: topic('kept') }]);
      await log.append(topic('gone'), [{ key: null, value: b('1') }]);
      await other.deleteTopics([topic('gone')]);
      await other.createTopics([{ name: topic('new') }]);
      const [meta] = await log.append(topic('new'), [{ key: null, value: b('2') }]);
      expect(meta!.offset).to.equal(0);
      await expectCode(log.append(topic('gone'), [{ key: null, value: b('3') }]), 'STREAMS_TOPIC_NOT_FOUND');
    });
  });

  describe('append', () => {
    it('splits an append larger than a produce request may be, keeping offsets and order', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('big'), partitions: 2 }]);
      // 3000 records of 1 KiB: 3 MiB, three times the broker's default request limit.
      const records = Array.from({ length: 3000 }, (_, i) => ({ key: b(`k${i % 7}`), value: Buffer.alloc(1024, i % 251), partition: i % 2 }));
      const meta = await log.append(topic('big'), records);
      for (const p of [0, 1]) {
        const offsets = meta.filter((m) => m.partition === p).map((m) => m.offset);
        expect(offsets).to.deep.equal(Array.from({ length: 1500 }, (_, i) => i));
        const stored = [];
        for (let offset = 0; offset < 1500; ) {
          const page = await log.read({ topic: topic('big'), partition: p }, offset, { maxRecords: 500 });
          stored.push(...page);
          offset = page[page.length - 1]!.offset + 1;
        }
        expect(stored.map((r) => r.value![0])).to.deep.equal(records.filter((r) => r.partition === p).map((r) => r.value[0]));
      }
    });
  });

  describe('idempotent producer', () => {
    it('has the broker drop a batch sent again with the same producer id and sequence, as a retry sends it', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('dedup') }]);
      const tp = { topic: topic('dedup'), partition: 0 };
      const client = new KafkaClient(resolveKafkaLogOptions({ brokers: kafkaBrokers() }));
      await client.connect();
      try {
        const controller = await client.cluster.findControllerBroker();
        const { producerId, producerEpoch } = await (controller as unknown as ProducerIdBroker).initProducerId({ transactionTimeout: 60_000 });
        const session = { producerId: String(producerId), producerEpoch, transactional: false };
        const leader = await client.leader(tp);
        const send = (baseSequence: number, values: string[]) =>
          produce(leader, tp.topic, [{ partition: 0, batch: encodeRecordBatch(values.map((v) => ({ key: null, value: b(v) })), { ...session, baseSequence }) }], 30_000);
        expect(await send(0, ['a', 'b'])).to.deep.equal([{ partition: 0, baseOffset: 0 }]);
        expect(await send(0, ['a', 'b'])).to.deep.equal([{ partition: 0, baseOffset: 0 }]);
        expect(await send(2, ['c'])).to.deep.equal([{ partition: 0, baseOffset: 2 }]);
        const [gap] = await send(7, ['d']);
        expect((gap as unknown as { error: { type: string } }).error.type).to.equal('OUT_OF_ORDER_SEQUENCE_NUMBER');
        expect((await log.read(tp, 0)).map((r) => s(r.value))).to.deep.equal(['a', 'b', 'c']);
      } finally {
        await client.disconnect();
      }
    });

    it('keeps sequences per partition across appends, and appends again after another client deleted and recreated the topic', async () => {
      const log = await openLog();
      const other = await openLog();
      await log.createTopics([{ name: topic('seq'), partitions: 3 }]);
      for (let round = 0; round < 3; round++) {
        const meta = await log.append(topic('seq'), Array.from({ length: 30 }, (_, i) => ({ key: b(`k${i}`), value: b(`${round}-${i}`) })));
        for (const p of [0, 1, 2]) {
          const offsets = meta.filter((m) => m.partition === p).map((m) => m.offset);
          expect(offsets).to.deep.equal(offsets.map((_, i) => offsets[0]! + i));
        }
      }
      await other.deleteTopics([topic('seq')]);
      await other.createTopics([{ name: topic('seq'), partitions: 3 }]);
      const [meta] = await log.append(topic('seq'), [{ key: null, value: b('after'), partition: 1 }]);
      expect(meta!.offset).to.equal(0);
    });
  });

  describe('read', () => {
    it('pages through many record batches, several fetches per read when they are small', async () => {
      const log = await openLog({ fetchMaxBytesPerPartition: 256 });
      await log.createTopics([{ name: topic('a') }]);
      for (let batch = 0; batch < 10; batch++) {
        await log.append(topic('a'), Array.from({ length: 10 }, (_, i) => ({ key: null, value: b(String(batch * 10 + i)) })));
      }
      const tp = { topic: topic('a'), partition: 0 };
      const page = await log.read(tp, 35, { maxRecords: 40 });
      expect(page.map((r) => r.offset)).to.deep.equal(Array.from({ length: 40 }, (_, i) => 35 + i));
      expect(page.map((r) => s(r.value))).to.deep.equal(Array.from({ length: 40 }, (_, i) => String(35 + i)));
      expect((await log.read(tp, 90)).map((r) => r.offset)).to.deep.equal([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    });
  });

  describe('consumers', () => {
    it('calls onRevoked after the old handlers and before onAssigned, never while a handler runs', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('a'), partitions: 4 }]);
      const groupId = `${prefix}-g`;
      const events: string[] = [];
      const inHandler = new Map<string, boolean>();
      const member = (name: string) =>
        track(
          log.consumer({
            groupId,
            topics: [topic('a')],
            onAssigned: (tps) => {
              events.push(`${name}:assigned:${tps.map((tp) => tp.partition).join(',')}`);
            },
            onRevoked: (tps) => {
              expect(inHandler.get(name), 'onRevoked while a handler runs').to.equal(false);
              events.push(`${name}:revoked:${tps.map((tp) => tp.partition).join(',')}`);
            },
          }),
        );
      const seen: string[] = [];
      const handler = (name: string) => async (batch: { partition: number; records: LogRecord[] }) => {
        inHandler.set(name, true);
        events.push(`${name}:batch:${batch.partition}`);
        await new Promise((r) => setTimeout(r, 30));
        for (const r of batch.records) seen.push(s(r.value)!);
        inHandler.set(name, false);
      };
      const one = member('one');
      await one.run(handler('one'));
      expect(events).to.deep.equal(['one:assigned:0,1,2,3']);
      await log.append(topic('a'), [0, 1, 2, 3].map((p) => ({ key: null, value: b(`a${p}`), partition: p })));
      await until(() => seen.length === 4);
      const two = member('two');
      await two.run(handler('two'));
      await until(() => one.assignment().length === 2 && two.assignment().length === 2);
      const oneEvents = events.filter((e) => e.startsWith('one:'));
      const revokedAt = oneEvents.indexOf('one:revoked:0,1,2,3');
      expect(revokedAt, oneEvents.join(' ')).to.be.greaterThan(0);
      expect(oneEvents[revokedAt + 1], oneEvents.join(' ')).to.match(/^one:assigned:\d,\d$/);
      await log.append(topic('a'), [0, 1, 2, 3].map((p) => ({ key: null, value: b(`b${p}`), partition: p })));
      await until(() => seen.length >= 8);
      // After its last assignment each member gets batches of its own partitions only.
      for (const name of ['one', 'two']) {
        const mine = events.filter((e) => e.startsWith(`${name}:`));
        const at = mine.map((e) => e.startsWith(`${name}:assigned:`)).lastIndexOf(true);
        const owned = mine[at]!.split(':')[2]!.split(',').map(Number);
        expect(owned).to.have.length(2);
        for (const e of mine.slice(at + 1)) {
          expect(e, mine.join(' ')).to.match(/:batch:/);
          expect(owned).to.include(Number(e.split(':')[2]));
        }
      }
    });

    it('gives each member the same partition numbers of every topic (a task is never split), covering all', async () => {
      const log = await openLog();
      // Partitions 0-2 of both topics: a task of a join reads partition N of each.
      await log.createTopics([{ name: topic('stream'), partitions: 3 }, { name: topic('table'), partitions: 3 }]);
      const groupId = `${prefix}-g`;
      const member = () => track(log.consumer({ groupId, topics: [topic('stream'), topic('table')] }));
      const [one, two] = [member(), member()];
      await one.run(() => undefined);
      await two.run(() => undefined);
      await until(() => one.assignment().length + two.assignment().length === 6 && one.assignment().length > 0 && two.assignment().length > 0);
      const numbers = (c: LogConsumer, t: string) => c.assignment().filter((tp) => tp.topic === topic(t)).map((tp) => tp.partition).sort();
      for (const c of [one, two]) expect(numbers(c, 'stream')).to.deep.equal(numbers(c, 'table'));
      expect([...numbers(one, 'stream'), ...numbers(two, 'stream')].sort()).to.deep.equal([0, 1, 2]);
    });

    it('calls onRevoked on stop while still a member, so a commit made there is kept', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('a') }]);
      await log.append(topic('a'), [1, 2, 3].map((i) => ({ key: null, value: b(String(i)) })));
      const groupId = `${prefix}-g`;
      let last = -1;
      const consumer: LogConsumer = track(
        log.consumer({
          groupId,
          topics: [topic('a')],
          onRevoked: async (tps) => {
            await consumer.commit(tps.map((tp) => ({ ...tp, offset: last + 1 })));
          },
        }),
      );
      await consumer.run((batch) => {
        last = batch.records[batch.records.length - 1]!.offset;
      });
      await until(() => last === 2);
      await consumer.stop();
      expect(await log.committedOffsets(groupId, topic('a'))).to.deep.equal([{ topic: topic('a'), partition: 0, offset: 3 }]);
    });

    it('delivers at most maxBatchRecords per batch, in order', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('a') }]);
      await log.append(topic('a'), Array.from({ length: 25 }, (_, i) => ({ key: null, value: b(String(i)) })));
      const sizes: number[] = [];
      const values: string[] = [];
      const consumer = track(log.consumer({ groupId: `${prefix}-g`, topics: [topic('a')], maxBatchRecords: 10 }));
      await consumer.run((batch) => {
        sizes.push(batch.records.length);
        values.push(...batch.records.map((r) => s(r.value)!));
        expect(batch.highWatermark).to.equal(25);
      });
      await until(() => values.length >= 25);
      expect(Math.max(...sizes)).to.equal(10);
      expect(values).to.deep.equal(Array.from({ length: 25 }, (_, i) => String(i)));
    });

    it('holds back a paused partition until it is resumed', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('a'), partitions: 2 }]);
      const seen: string[] = [];
      const consumer = track(log.consumer({ groupId: `${prefix}-g`, topics: [topic('a')] }));
      await consumer.run((batch) => {
        seen.push(...batch.records.map((r) => s(r.value)!));
      });
      consumer.pause([{ topic: topic('a'), partition: 1 }]);
      await log.append(topic('a'), [
        { key: null, value: b('p1'), partition: 1 },
        { key: null, value: b('p0'), partition: 0 },
      ]);
      await until(() => seen.includes('p0'));
      await new Promise((r) => setTimeout(r, 600));
      expect(seen).to.deep.equal(['p0']);
      consumer.resume([{ topic: topic('a'), partition: 1 }]);
      await until(() => seen.includes('p1'));
    });

    it('leaves the group before reporting a handler error, so another member takes over', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('a'), partitions: 2 }]);
      await log.append(topic('a'), [{ key: null, value: b('boom'), partition: 0 }]);
      const groupId = `${prefix}-g`;
      let reported: unknown;
      const failing = track(
        log.consumer({
          groupId,
          topics: [topic('a')],
          onError: (err) => {
            reported = err;
          },
        }),
      );
      await failing.run(() => {
        throw new Error('handler failed');
      });
      await until(() => reported !== undefined);
      expect((reported as Error).message).to.equal('handler failed');
      expect(failing.assignment()).to.deep.equal([]);
      const next = track(log.consumer({ groupId, topics: [topic('a')] }));
      const values: string[] = [];
      await next.run((batch) => {
        values.push(...batch.records.map((r) => s(r.value)!));
      });
      expect(next.assignment()).to.have.length(2);
      await until(() => values.includes('boom'));
    });

    it("refuses a commit from outside a group that is active in another client", async () => {
      const log = await openLog();
      const other = await openLog();
      await log.createTopics([{ name: topic('a') }]);
      const groupId = `${prefix}-g`;
      const consumer = track(log.consumer({ groupId, topics: [topic('a')] }));
      await consumer.run(() => undefined);
      await expectCode(other.commitOffsets(groupId, [{ topic: topic('a'), partition: 0, offset: 1 }]), 'STREAMS_KAFKA_ERROR');
      await log.commitOffsets(groupId, [{ topic: topic('a'), partition: 0, offset: 1 }]);
      expect(await other.committedOffsets(groupId)).to.deep.equal([{ topic: topic('a'), partition: 0, offset: 1 }]);
    });

    it('reports a consumer of a missing topic with STREAMS_TOPIC_NOT_FOUND', async () => {
      const log = await openLog();
      const consumer = track(log.consumer({ groupId: `${prefix}-g`, topics: [topic('missing')] }));
      await expectCode(consumer.run(() => undefined), 'STREAMS_TOPIC_NOT_FOUND');
    });
  });

  describe('transactions', () => {
    it('makes records and consumer offsets visible together at commit', async () => {
      const log = await openLog();
      await log.createTopics([{ name: topic('in') }, { name: topic('out'), partitions: 2 }]);
      const groupId = `${prefix}-g`;
      const txn = await log.transaction({ transactionalId: `${prefix}-tx` });
      const meta = await txn.append(topic('out'), [
        { key: b('k1'), value: b('1') },
        { key: null, value: b('2'), partition: 1 },
      ]);
      await txn.sendOffsets(groupId, [{ topic: topic('in'), partition: 0, offset: 7 }]);
      const out1 = { topic: topic('out'), partition: 1 };
      expect(await log.read(out1, 0)).to.deep.equal([]);
      expect(await log.committedOffsets(groupId, topic('in'))).to.deep.equal([]);
      await txn.commit();
      // The commit markers reach the partitions, and the group's offsets, shortly after EndTxn
      // returns (the offsets topic gets its marker like any other partition).
      let records: LogRecord[] = [];
      let committed: unknown[] = [];
      await untilAsync(async () => {
        records = [...(await log.read({ topic: topic('out'), partition: 0 }, 0)), ...(await log.read(out1, 0))];
        committed = await log.committedOffsets(groupId, topic('in'));
        return records.length === 2 && committed.length > 0;
      });
      expect(records.map((r) => s(r.value)).sort()).to.deep.equal(['1', '2']);
      expect(records.map((r) => `${r.partition}:${r.offset}`).sort()).to.deep.equal(meta.map((m) => `${m.partition}:${m.offset}`).sort());
      expect(committed).to.deep.equal([{ topic: topic('in'), partition: 0, offset: 7 }]);
      try {
        await txn.append(topic('out'), [{ key: null, value: b('late') }]);
        expect.fail('a committed transaction must refuse appends');
      } catch (err) {
        expect(err).to.be.instanceOf(TypeError);
      }
    });

    it('hides aborted records from read_committed readers and consumers, not from read_uncommitted', async () => {
      const log = await openLog();
      const dirty = await openLog({ isolationLevel: 'read_uncommitted' });
      await log.createTopics([{ name: topic('out') }]);
      const txn = await log.transaction({ transactionalId: `${prefix}-tx` });
      await txn.append(topic('out'), [{ key: null, value: b('aborted') }]);
      await txn.abort();
      await log.append(topic('out'), [{ key: null, value: b('plain') }]);
      const tp = { topic: topic('out'), partition: 0 };
      // The abort marker reaches the partition shortly after EndTxn returns; until then the
      // open transaction holds back read_committed readers (the last stable offset).
      let committed: string[] = [];
      await untilAsync(async () => {
        committed = (await log.read(tp, 0)).map((r) => s(r.value)!);
        return committed.length > 0;
      });
      expect(committed).to.deep.equal(['plain']);
      expect((await dirty.read(tp, 0)).map((r) => s(r.value))).to.deep.equal(['aborted', 'plain']);
      const values: string[] = [];
      const consumer = track(log.consumer({ groupId: `${prefix}-g`, topics: [topic('out')] }));
      await consumer.run((batch) => {
        values.push(...batch.records.map((r) => s(r.value)!));
      });
      await until(() => values.length > 0);
      await new Promise((r) => setTimeout(r, 300));
      expect(values).to.deep.equal(['plain']);
    });

    it('fences the older producer of a transactional id', async () => {
      const log = await openLog();
      const other = await openLog();
      await log.createTopics([{ name: topic('out') }]);
      const id = `${prefix}-tx`;
      const zombie = await log.transaction({ transactionalId: id });
      await zombie.append(topic('out'), [{ key: null, value: b('zombie') }]);
      const fresh = await other.transaction({ transactionalId: id });
      await fresh.append(topic('out'), [{ key: null, value: b('fresh') }]);
      await fresh.commit();
      const err = await expectCode(zombie.commit(), 'STREAMS_KAFKA_ERROR');
      expect((err.cause as Error).name).to.match(/^KafkaJS/);
      let visible: string[] = [];
      await untilAsync(async () => {
        visible = (await log.read({ topic: topic('out'), partition: 0 }, 0)).map((r) => s(r.value)!);
        return visible.length > 0;
      });
      expect(visible).to.deep.equal(['fresh']);
    });
  });
});
