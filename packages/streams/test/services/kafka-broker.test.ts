import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, it } from 'mocha';
import kafkajs, { type Admin, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { describeIfKafka, kafkaBrokers } from '../helpers/services.js';
import { fetchApiVersions, type ApiVersionRange } from './api-versions.js';

const { Kafka, logLevel } = kafkajs;

// kafkajs's own table of the request versions it implements. Internal, but it is the
// authority on what kafkajs can speak, which is exactly what this smoke test must check.
const require = createRequire(import.meta.url);
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;
const { requests } = require('kafkajs/src/protocol/requests/index.js') as {
  requests: Record<string, { versions: string[] }>;
};

/** The APIs the Kafka log backend relies on: produce, fetch, groups, admin, transactions. */
const REQUIRED_APIS = [
  'Produce', 'Fetch', 'ListOffsets', 'Metadata', 'OffsetCommit', 'OffsetFetch', 'GroupCoordinator',
  'JoinGroup', 'Heartbeat', 'LeaveGroup', 'SyncGroup', 'ApiVersions', 'CreateTopics', 'DeleteTopics',
  'DeleteRecords', 'InitProducerId', 'AddPartitionsToTxn', 'AddOffsetsToTxn', 'EndTxn',
  'TxnOffsetCommit', 'DescribeConfigs', 'CreatePartitions',
];

/** The version kafkajs picks for an API (its newest, capped by the broker's newest), as kafkajs's lookup does. */
function kafkajsChoice(apiName: string, range: ApiVersionRange): number {
  const implemented = (requests[apiName]?.versions ?? []).map(Number);
  return Math.min(Math.max(...implemented), range.maxVersion);
}

describeIfKafka('Services > Kafka broker', function () {
  this.timeout(60_000);
  const kafka = new Kafka({ clientId: 'parley-smoke', brokers: kafkaBrokers(), logLevel: logLevel.ERROR });
  const topics: string[] = [];
  let admin: Admin;

  before(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
  });

  async function createTopic(numPartitions: number): Promise<string> {
    const topic = `parley-smoke-${randomUUID()}`;
    topics.push(topic);
    const created = await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
    expect(created, `createTopics(${topic}) reported the topic as already there`).to.equal(true);
    return topic;
  }

  it('serves every API the Kafka log backend needs', async () => {
    const served = new Set((await fetchApiVersions(kafkaBrokers()[0]!)).map((range) => range.apiKey));
    const missing = REQUIRED_APIS.filter((name) => !served.has(apiKeys[name]!));
    expect(missing).to.deep.equal([]);
  });

  it('serves, for every API kafkajs implements, a version kafkajs can speak', async () => {
    // Kafka 4.0 dropped old versions (KIP-896); a broker is usable only if kafkajs's pick is still served.
    const ranges = await fetchApiVersions(kafkaBrokers()[0]!);
    const unusable: string[] = [];
    for (const [apiName, definition] of Object.entries(requests)) {
      const range = ranges.find((r) => r.apiKey === apiKeys[apiName]);
      if (definition.versions.length === 0 || range === undefined) continue;
      const chosen = kafkajsChoice(apiName, range);
      const speaks = definition.versions.map(Number).includes(chosen);
      if (!speaks || chosen < range.minVersion) {
        unusable.push(`${apiName}: broker v${range.minVersion}-v${range.maxVersion}, kafkajs v${definition.versions.join(',v')}`);
      }
    }
    expect(unusable).to.deep.equal([]);
  });

  it('creates a topic with the requested number of partitions', async () => {
    const partitions = 1 + Math.floor(Math.random() * 4);
    const topic = await createTopic(partitions);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).to.have.length(partitions);
    expect(await admin.listTopics()).to.include(topic);
  });

  it('delivers a produced record to a consumer group with its key, value and headers', async () => {
    const topic = await createTopic(1);
    const sent = { key: randomUUID(), value: randomUUID(), header: randomUUID() };
    const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
    const consumer: Consumer = kafka.consumer({ groupId: `parley-smoke-${randomUUID()}` });
    try {
      await producer.connect();
      const [ack] = await producer.send({
        topic,
        messages: [{ key: sent.key, value: sent.value, headers: { trace: sent.header } }],
      });
      expect(ack?.errorCode).to.equal(0);

      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received = await new Promise<KafkaMessage>((resolve, reject) => {
        consumer.run({ eachMessage: async ({ message }) => resolve(message) }).catch(reject);
      });
      expect(received.key?.toString()).to.equal(sent.key);
      expect(received.value?.toString()).to.equal(sent.value);
      expect(received.headers?.['trace']?.toString()).to.equal(sent.header);
      expect(received.offset).to.equal(ack?.baseOffset);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
