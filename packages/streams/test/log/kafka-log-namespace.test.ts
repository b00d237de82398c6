import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { TopicError, type StreamsError } from '../../src/errors.js';
import { KafkaLog } from '../../src/log/kafka/kafka-log.js';
import type { KafkaLogOptions } from '../../src/log/kafka/kafka-log-options.js';
import type { LogConsumer, LogRecord, TopicPartition } from '../../src/log/types.js';
import { describeIfKafka, kafkaBrokers } from '../helpers/services.js';

const b = (s: string) => Buffer.from(s);
const values = (records: LogRecord[]) => records.map((r) => r.value?.toString());

async function rejection(promise: Promise<unknown>): Promise<StreamsError> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (err: unknown) => err as StreamsError,
  );
}

/** Runs a member of `groupId` on `topic` until `count` records arrived; answers them and its assignment. */
async function consume(log: KafkaLog, groupId: string, count: number): Promise<{ records: LogRecord[]; assigned: TopicPartition[]; consumer: LogConsumer }> {
  const records: LogRecord[] = [];
  const assigned: TopicPartition[] = [];
  const consumer = log.consumer({ groupId, topics: ['orders'], onAssigned: (tps) => void assigned.push(...tps) });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${records.length} of ${count} records`)), 15_000);
    consumer
      .run((batch) => {
        expect(batch.topic).to.equal('orders');
        records.push(...batch.records);
        if (records.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      })
      .catch(reject);
  });
  return { records, assigned, consumer };
}

/** What partition 0 of `orders` holds from `offset` on, once a transaction's commit marker has arrived there. */
async function committedValues(log: KafkaLog, offset: number): Promise<Array<string | undefined>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const records = await log.read({ topic: 'orders', partition: 0 }, offset);
    if (records.length > 0 || Date.now() > deadline) return values(records);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeIfKafka('Log > Kafka > namespace', function () {
  this.timeout(30_000);
  const options = (extra: Partial<KafkaLogOptions> = {}): KafkaLogOptions => ({
    brokers: kafkaBrokers(),
    heartbeatIntervalMs: 300,
    sessionTimeoutMs: 10_000,
    consumerMaxWaitMs: 200,
    ...extra,
  });
  const suffix = randomBytes(4).toString('hex');
  const [nsA, nsB] = [`a${suffix}`, `b${suffix}`];
  let logA: KafkaLog;
  let logB: KafkaLog;
  let raw: KafkaLog;

  // Two logs in two namespaces of one broker use the same topic, group and transactional id names.
  before(async () => {
    [logA, logB, raw] = [new KafkaLog(options({ namespace: nsA })), new KafkaLog(options({ namespace: nsB })), new KafkaLog(options())];
    await Promise.all([logA.open(), logB.open(), raw.open()]);
    await logA.createTopics([{ name: 'orders', partitions: 2 }]);
    await logB.createTopics([{ name: 'orders' }]);
  });
  after(async () => {
    await Promise.all([logA, logB].map((log) => log.deleteTopics(['orders']).catch(() => undefined)));
    await Promise.all([logA, logB, raw].map((log) => log.close()));
  });

  it('lists only its own topics, without the prefix; a log without a namespace sees both on the wire', async () => {
    expect(await logA.listTopics()).to.deep.equal(['orders']);
    expect(await logB.listTopics()).to.deep.equal(['orders']);
    expect(await raw.listTopics()).to.include.members([`${nsA}.orders`, `${nsB}.orders`]);
    expect(await raw.listTopics()).to.not.include('orders');
    expect(await logA.describeTopic('orders')).to.deep.include({ name: 'orders', partitions: 2 });
    expect(await logB.describeTopic('orders')).to.deep.include({ name: 'orders', partitions: 1 });
  });

  it('appends and reads records of its own topic only, reporting its own names', async () => {
    const metaA = await logA.append('orders', [{ key: null, value: b('a1'), partition: 1 }]);
    const metaB = await logB.append('orders', [{ key: null, value: b('b1') }, { key: null, value: b('logB') }]);
    expect(metaA).to.deep.equal([{ topic: 'orders', partition: 1, offset: 0 }]);
    expect(metaB).to.deep.equal([{ topic: 'orders', partition: 0, offset: 0 }, { topic: 'orders', partition: 0, offset: 1 }]);
    const readA = await logA.read({ topic: 'orders', partition: 1 }, 0);
    expect(values(readA)).to.deep.equal(['a1']);
    expect(readA[0]!.topic).to.equal('orders');
    expect(values(await logB.read({ topic: 'orders', partition: 0 }, 0))).to.deep.equal(['b1', 'logB']);
    expect(values(await raw.read({ topic: `${nsA}.orders`, partition: 1 }, 0))).to.deep.equal(['a1']);
    expect(await logA.endOffset({ topic: 'orders', partition: 0 })).to.equal(0);
  });

  it('keeps the committed offsets of a group of the same name apart', async () => {
    await logA.commitOffsets('app', [{ topic: 'orders', partition: 1, offset: 1 }]);
    expect(await logA.committedOffsets('app')).to.deep.equal([{ topic: 'orders', partition: 1, offset: 1 }]);
    expect(await logA.committedOffsets('app', 'orders')).to.deep.equal([{ topic: 'orders', partition: 1, offset: 1 }]);
    expect(await logB.committedOffsets('app')).to.deep.equal([]);
    expect(await raw.committedOffsets(`${nsA}.app`)).to.deep.equal([{ topic: `${nsA}.orders`, partition: 1, offset: 1 }]);
    await logA.deleteGroup('app');
    expect(await logA.committedOffsets('app')).to.deep.equal([]);
  });

  it('runs consumers of one group name in both namespaces side by side, each with its own partitions and records', async () => {
    const [inA, inB] = await Promise.all([consume(logA, 'members', 1), consume(logB, 'members', 2)]);
    try {
      expect(values(inA.records)).to.deep.equal(['a1']);
      expect(values(inB.records)).to.deep.equal(['b1', 'logB']);
      expect(inA.assigned).to.deep.equal([{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }]);
      expect(inA.consumer.assignment()).to.deep.equal(inA.assigned);
      expect(inB.assigned).to.deep.equal([{ topic: 'orders', partition: 0 }]);
      // Commits through a member (the log routes them to it) land in its namespace's group.
      await logA.commitOffsets('members', [{ topic: 'orders', partition: 1, offset: 1 }]);
      await inB.consumer.commit([{ topic: 'orders', partition: 0, offset: 2 }]);
      expect(await logA.committedOffsets('members')).to.deep.equal([{ topic: 'orders', partition: 1, offset: 1 }]);
      expect(await logB.committedOffsets('members')).to.deep.equal([{ topic: 'orders', partition: 0, offset: 2 }]);
    } finally {
      await Promise.all([inA.consumer.stop(), inB.consumer.stop()]);
    }
  });

  it('does not fence a transactional id of the same name in another namespace', async () => {
    const first = await logA.transaction({ transactionalId: 'task-0' });
    // In one namespace this would fence `first` (see kafka-log.test.ts).
    const second = await logB.transaction({ transactionalId: 'task-0', fence: true });
    expect(await first.append('orders', [{ key: null, value: b('a-txn'), partition: 0 }])).to.deep.equal([{ topic: 'orders', partition: 0, offset: 0 }]);
    await first.sendOffsets('txn-group', [{ topic: 'orders', partition: 1, offset: 1 }]);
    await second.append('orders', [{ key: null, value: b('b-txn') }]);
    await first.commit(); // STREAMS_KAFKA_ERROR (fenced) if `second` had taken its id
    await second.commit();
    // The commit markers reach the partitions shortly after EndTxn returns.
    expect(await committedValues(logA, 0)).to.deep.equal(['a-txn']);
    expect(await committedValues(logB, 2)).to.deep.equal(['b-txn']);
    expect(await logA.committedOffsets('txn-group')).to.deep.equal([{ topic: 'orders', partition: 1, offset: 1 }]);
  });

  it("reports errors with the namespace's topic names", async () => {
    const missing = await rejection(logA.append('missing', [{ key: null, value: b('x') }]));
    expect(missing).to.be.instanceOf(TopicError);
    expect({ code: missing.code, topic: (missing as TopicError).topic }).to.deep.equal({ code: 'STREAMS_TOPIC_NOT_FOUND', topic: 'missing' });
    const partition = await rejection(logA.read({ topic: 'orders', partition: 5 }, 0));
    expect({ code: partition.code, topic: (partition as TopicError).topic, partition: (partition as TopicError).partition }).to.deep.equal({
      code: 'STREAMS_PARTITION_NOT_FOUND',
      topic: 'orders',
      partition: 5,
    });
    const exists = await rejection(logA.createTopics([{ name: 'orders' }]));
    expect({ code: exists.code, topic: (exists as TopicError).topic }).to.deep.equal({ code: 'STREAMS_TOPIC_EXISTS', topic: 'orders' });
  });
});
