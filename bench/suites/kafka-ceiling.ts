import type { Log, ProducerRecord } from '@parley/streams';
import kafkajs from 'kafkajs';
import { fillTopic } from './streams-workload.js';

const { Kafka, logLevel } = kafkajs;

/**
 * Records per `producer.send` of the produce ceiling. kafkajs groups a send's messages by
 * partition by copying the partition's array once per message (quadratic), so 5000-record sends
 * ran at ~45–70k records/s here and 1000-record sends at ~105k/s; 500 was no faster.
 */
const PRODUCE_BATCH = 1000;

/**
 * The records streams-workload.ts appends to the engine's input topic, captured instead of
 * appended, so the raw producer sends exactly the same data.
 */
export async function workloadRecords(count: number, keySpace: number): Promise<ProducerRecord[]> {
  const records: ProducerRecord[] = [];
  const capture = {
    createTopics: async () => undefined,
    append: async (_topic: string, batch: ProducerRecord[]) => {
      records.push(...batch);
      return [];
    },
  };
  await fillTopic(capture as unknown as Log, 'captured', count, keySpace);
  return records;
}

/**
 * Raw kafkajs producer: the records sent in 1000-record batches one after the other
 * (`acks: -1`, no compression) to a new topic; records per second from the first send to the
 * last acknowledgement.
 */
export async function kafkajsProduceRate(brokers: string[], topic: string, records: ProducerRecord[]): Promise<number> {
  const kafka = new Kafka({ brokers, clientId: 'bench-ceiling-produce', logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] }], waitForLeaders: true });
    const batches = [];
    for (let i = 0; i < records.length; i += PRODUCE_BATCH) {
      batches.push(records.slice(i, i + PRODUCE_BATCH).map((r) => ({ key: r.key, value: r.value, timestamp: String(r.timestamp), partition: 0 })));
    }
    const start = process.hrtime.bigint();
    for (const messages of batches) await producer.send({ topic, messages, acks: -1 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return Math.round(records.length / seconds);
  } finally {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}

/**
 * Raw kafkajs consumer: a new group reads `topic` from the beginning with `eachBatch` (1 MiB per
 * partition per fetch, as KafkaLog); records per second from `connect()` (so the group join is
 * counted, as it is for the engine) until `records` records were delivered. No offset commits.
 */
export async function kafkajsConsumeRate(brokers: string[], topic: string, records: number, groupId: string): Promise<number> {
  const kafka = new Kafka({ brokers, clientId: 'bench-ceiling-consume', logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 1024 * 1024 });
  let seen = 0;
  let done!: () => void;
  let fail!: (err: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
  consumer.on(consumer.events.CRASH, (event) => fail(event.payload.error));
  const timer = setTimeout(() => fail(new Error(`kafkajs consumer: ${seen} of ${records} records after 10 min`)), 600_000);
  const start = process.hrtime.bigint();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= records) done();
      },
    });
    await finished;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return Math.round(records / seconds);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}
