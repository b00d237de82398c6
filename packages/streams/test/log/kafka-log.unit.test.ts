import { expect } from 'chai';
import fc from 'fast-check';
import kafkajs from 'kafkajs';
import * as net from 'node:net';
import { StreamsError, TopicError } from '../../src/errors.js';
import { partitionForKey } from '../../src/log/partitioner.js';
import { KafkaLog } from '../../src/log/kafka/kafka-log.js';
import { toStreamsError } from '../../src/log/kafka/kafka-errors.js';
import { KafkaNamespace } from '../../src/log/kafka/kafka-namespace.js';
import { createPartitionChooser, healthyPartitions, kafkaPartitionForKey } from '../../src/log/kafka/kafka-partitioner.js';

const { Partitioners } = kafkajs;

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An error shaped like the ones kafkajs throws (name, protocol type, cause chain). */
function kafkaError(name: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} ${String(fields['type'] ?? '')}`), { name, ...fields });
}

describe('Log > Kafka > partitioner', () => {
  /** kafkajs's Java-compatible partitioner, the reference KafkaLog's chooser must agree with. */
  const reference = Partitioners.JavaCompatiblePartitioner();
  const kafkajsPartition = (key: Buffer, partitions: number) =>
    reference({ topic: 't', partitionMetadata: healthyPartitions(partitions), message: { key, value: null } });

  it("puts every key on the partition of partitionForKey, like Kafka's Java client", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 1000 }), (bytes, partitions) => {
        const key = Buffer.from(bytes);
        expect(kafkaPartitionForKey(key, partitions)).to.equal(partitionForKey(key, partitions));
      }),
      { numRuns: 2000 },
    );
  });

  it("puts every key on the partition kafkajs's Java-compatible partitioner picks", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (text, partitions) => {
        const key = Buffer.from(text, 'utf8');
        expect(kafkaPartitionForKey(key, partitions)).to.equal(kafkajsPartition(key, partitions));
      }),
      { numRuns: 2000 },
    );
  });

  it('spreads records without a key round-robin over the partitions that have a leader', () => {
    const choose = createPartitionChooser();
    const partitions = healthyPartitions(4).map((p) => (p.partitionId === 2 ? { ...p, leader: -1 } : p));
    const picks = Array.from({ length: 9 }, () => choose('t', partitions, null));
    expect(new Set(picks)).to.deep.equal(new Set([0, 1, 3]));
    for (let i = 3; i < picks.length; i++) expect(picks[i]).to.equal(picks[i - 3]);
  });
});

describe('Log > Kafka > errors', () => {
  const cases: Array<[string, Error, string, boolean]> = [
    ['a missing topic', kafkaError('KafkaJSProtocolError', { type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true }), 'STREAMS_TOPIC_NOT_FOUND', false],
    ['an existing topic', kafkaError('KafkaJSProtocolError', { type: 'TOPIC_ALREADY_EXISTS' }), 'STREAMS_TOPIC_EXISTS', false],
    ['an offset out of range', kafkaError('KafkaJSOffsetOutOfRange', { type: 'OFFSET_OUT_OF_RANGE' }), 'STREAMS_OFFSET_OUT_OF_RANGE', false],
    ['a record the broker refused', kafkaError('KafkaJSProtocolError', { type: 'INVALID_RECORD' }), 'STREAMS_INVALID_RECORD', false],
    ['a corrupt message (older brokers, keyless record on a compacted topic)', kafkaError('KafkaJSProtocolError', { type: 'CORRUPT_MESSAGE' }), 'STREAMS_INVALID_RECORD', false],
    [
      'a refused connection behind retries',
      kafkaError('KafkaJSNumberOfRetriesExceeded', { cause: kafkaError('KafkaJSConnectionError', { code: 'ECONNREFUSED' }) }),
      'STREAMS_BROKER_UNAVAILABLE',
      true,
    ],
    ['a request timeout', kafkaError('KafkaJSRequestTimeoutError'), 'STREAMS_BROKER_UNAVAILABLE', true],
    ['a leader election in progress', kafkaError('KafkaJSProtocolError', { type: 'LEADER_NOT_AVAILABLE' }), 'STREAMS_BROKER_UNAVAILABLE', true],
    ['an unrelated protocol error', kafkaError('KafkaJSProtocolError', { type: 'INVALID_CONFIG', retriable: false }), 'STREAMS_KAFKA_ERROR', false],
    ['a commit from a generation the group has left (a rebalance)', kafkaError('KafkaJSProtocolError', { type: 'ILLEGAL_GENERATION', retriable: false }), 'STREAMS_KAFKA_ERROR', true],
    ['a commit from a member the group has removed', kafkaError('KafkaJSProtocolError', { type: 'UNKNOWN_MEMBER_ID', retriable: false }), 'STREAMS_KAFKA_ERROR', true],
    ['a retriable unrelated error', kafkaError('KafkaJSProtocolError', { type: 'CONCURRENT_TRANSACTIONS', retriable: true }), 'STREAMS_KAFKA_ERROR', true],
  ];
  for (const [what, error, code, retriable] of cases) {
    it(`maps ${what} to ${code}, keeping the original as cause`, () => {
      const wrapped = toStreamsError(error, { topic: 't' }) as StreamsError;
      expect(wrapped).to.be.instanceOf(StreamsError);
      expect(wrapped.code).to.equal(code);
      expect(wrapped.retriable).to.equal(retriable);
      expect(wrapped.cause).to.equal(error);
    });
  }

  it('reports an unknown partition when the failing call named one', () => {
    const error = kafkaError('KafkaJSProtocolError', { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect((toStreamsError(error, { topic: 't', partition: 3 }) as StreamsError).code).to.equal('STREAMS_PARTITION_NOT_FOUND');
  });

  it('passes StreamsErrors and our own misuse errors through unchanged', () => {
    const coded = new StreamsError('STREAMS_TOPIC_EXISTS', 'x');
    const misuse = new RangeError('bad');
    expect(toStreamsError(coded)).to.equal(coded);
    expect(toStreamsError(misuse)).to.equal(misuse);
  });
});

describe('Log > Kafka > options', () => {
  it('rejects missing or empty brokers as misuse', () => {
    expect(() => new KafkaLog({ brokers: [] })).to.throw(TypeError);
    expect(() => new KafkaLog({} as never)).to.throw(TypeError);
    expect(() => new KafkaLog({ brokers: ['localhost:9092'], heartbeatIntervalMs: 0 })).to.throw(RangeError);
    expect(() => new KafkaLog({ brokers: ['localhost:9092'], logLevel: 'loud' as never })).to.throw(TypeError);
  });

  it('accepts a namespace of 1-64 characters of [a-zA-Z0-9_-] and rejects anything else as misuse', () => {
    const brokers = ['localhost:9092'];
    expect(new KafkaLog({ brokers }).namespace).to.equal('');
    expect(new KafkaLog({ brokers, namespace: 'ci_run-7' }).namespace).to.equal('ci_run-7');
    expect(new KafkaLog({ brokers, namespace: 'x'.repeat(64) }).namespace).to.have.length(64);
    for (const namespace of ['', 'a.b', 'a b', 'ü', 'x'.repeat(65), 42]) {
      expect(() => new KafkaLog({ brokers, namespace: namespace as never }), JSON.stringify(namespace)).to.throw(TypeError);
    }
  });

  it('declares compaction, retention, transactions and rebalancing', () => {
    expect(new KafkaLog({ brokers: ['localhost:9092'] }).supports).to.deep.equal({
      compaction: true,
      retention: true,
      transactions: true,
      groupRebalance: true,
    });
  });
});

describe('Log > Kafka > open', () => {
  it('fails against a closed port with a retriable STREAMS_BROKER_UNAVAILABLE after bounded retries', async function () {
    this.timeout(15_000);
    const port = await closedPort();
    const log = new KafkaLog({ brokers: [`127.0.0.1:${port}`], connectionTimeoutMs: 500, retry: { retries: 2, initialRetryTime: 50 } });
    const started = Date.now();
    try {
      await log.open();
      expect.fail('open() should have failed');
    } catch (err) {
      expect((err as StreamsError).code).to.equal('STREAMS_BROKER_UNAVAILABLE');
      expect((err as StreamsError).retriable).to.equal(true);
      expect((err as StreamsError).cause).to.be.instanceOf(Error);
    }
    expect(Date.now() - started).to.be.below(10_000);
    expect(log.status).to.equal('closed');
    try {
      await log.listTopics();
      expect.fail('a log that failed to open must stay closed');
    } catch (err) {
      expect((err as StreamsError).code).to.equal('STREAMS_LOG_NOT_OPEN');
    }
  });
});

describe('Log > Kafka > namespace', () => {
  const ns = new KafkaNamespace('team-a');
  const none = new KafkaNamespace('');

  it('prefixes topics, groups and transactional ids with the namespace and a dot', () => {
    expect(ns.topic('orders')).to.equal('team-a.orders');
    expect(ns.group('app')).to.equal('team-a.app');
    expect(ns.transactionalId('app-0_1')).to.equal('team-a.app-0_1');
    expect(ns.tp({ topic: 'orders', partition: 3, offset: 7 })).to.deep.equal({ topic: 'team-a.orders', partition: 3, offset: 7 });
  });

  it('strips the prefix from broker names, and sees no topic outside the namespace', () => {
    expect(ns.local('team-a.orders')).to.equal('orders');
    expect(ns.local('team-a.x.y')).to.equal('x.y');
    for (const outside of ['orders', 'team-a-orders', 'team-ab.orders', 'team-b.orders', '__consumer_offsets']) expect(ns.local(outside), outside).to.equal(undefined);
    const records = [{ topic: 'team-a.orders', partition: 0 }, { topic: 'team-a.orders', partition: 1 }];
    expect(ns.localize(records)).to.deep.equal([{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }]);
  });

  it('uses every name as it is without a namespace', () => {
    expect([none.topic('orders'), none.group('app'), none.transactionalId('t'), none.local('__consumer_offsets')]).to.deep.equal(['orders', 'app', 't', '__consumer_offsets']);
    const err = new TopicError('STREAMS_TOPIC_NOT_FOUND', 'missing', { topic: 'orders' });
    expect(none.localError(err)).to.equal(err);
  });

  it('refuses, as misuse, a topic name the prefix would make longer than 249 characters', () => {
    expect(ns.topic('t'.repeat(249 - 'team-a.'.length))).to.have.length(249);
    expect(() => ns.topic('t'.repeat(250 - 'team-a.'.length))).to.throw(TypeError);
  });

  it("reports a TopicError about a broker name with the namespace's name, keeping code, partition, cause and retriable", () => {
    const cause = new Error('kafkajs');
    const err = new TopicError('STREAMS_PARTITION_NOT_FOUND', 'no partition', { topic: 'team-a.orders', partition: 4 }, { cause, retriable: true });
    const local = ns.localError(err) as TopicError;
    expect(local).to.be.instanceOf(TopicError);
    expect({ code: local.code, topic: local.topic, partition: local.partition, retriable: local.retriable }).to.deep.equal({
      code: 'STREAMS_PARTITION_NOT_FOUND',
      topic: 'orders',
      partition: 4,
      retriable: true,
    });
    expect(local.cause).to.equal(cause);
    const plain = new StreamsError('STREAMS_KAFKA_ERROR', 'boom');
    expect(ns.localError(plain)).to.equal(plain);
  });
});
