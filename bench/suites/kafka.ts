import type { Log, Topology } from '@parley/streams';
import { KafkaLog } from '@parley/streams/kafka';
import type { BenchResult, BenchSuite } from '../lib/types.js';
import { withKafkaBroker } from './kafka-broker.js';
import { kafkajsConsumeRate, kafkajsProduceRate, workloadRecords } from './kafka-ceiling.js';
import { engineRate } from './kafka-engine.js';
import { expectOutput, expectTransactionalOutput, medianOfRounds } from './kafka-rounds.js';
import { referenceRate } from './kafka-reference.js';
import { fillTable, fillTopic, KEY_SPACE } from './streams-workload.js';
import { countTopology, joinTopology, statelessTopology } from './workload-topologies.js';

/** Input records of every Kafka workload; PARLEY_BENCH_KAFKA_RECORDS overrides it for trials. */
const RECORDS = Number(process.env['PARLEY_BENCH_KAFKA_RECORDS'] ?? 200_000);
/** Timed rounds per figure (the median is reported); PARLEY_BENCH_KAFKA_ROUNDS overrides it. */
const ROUNDS = Number(process.env['PARLEY_BENCH_KAFKA_ROUNDS'] ?? 3);

const median = (label: string, round: (n: number) => Promise<number>) => medianOfRounds(label, ROUNDS, round);

/** Deletes every topic and group of this run (they share the run's prefix). */
async function cleanUp(log: Log, prefix: string, groups: string[]): Promise<void> {
  const topics = (await log.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length > 0) await log.deleteTopics(topics);
  for (const group of groups) await log.deleteGroup(group).catch(() => undefined);
}

const percentOf = (part: number | undefined, whole: number | undefined, what: string) =>
  part !== undefined && whole !== undefined ? `; ${Math.round((100 * part) / whole)}% of ${what}` : '';
const timesOf = (part: number | undefined, whole: number | undefined, what: string) =>
  part !== undefined && whole !== undefined ? `; ${(part / whole).toFixed(2)}× ${what}` : '';

async function measure(brokers: string[], log: Log, run: string, groups: string[]): Promise<BenchResult[]> {
  const input = `${run}-input`;
  const table = `${run}-table`;
  await fillTopic(log, input, RECORDS, KEY_SPACE);
  await fillTable(log, table, KEY_SPACE);

  const records = await workloadRecords(RECORDS, KEY_SPACE);
  const produce = await median('ceiling.kafkajs.produce', (n) => kafkajsProduceRate(brokers, `${run}-produce-${n}`, records));
  const consume = await median('ceiling.kafkajs.consume', (n) => {
    groups.push(`${run}-consume-${n}`);
    return kafkajsConsumeRate(brokers, input, RECORDS, `${run}-consume-${n}`);
  });

  // What each workload must write: the kept nine tenths; one count per record (the cache is
  // flushed every second, before a key comes round again); one joined record per stream record.
  const kept = RECORDS - Math.ceil(RECORDS / 10);
  const counted: [number, number] = [Math.min(RECORDS, KEY_SPACE), RECORDS];

  const engine = (workload: string, records: number, topology: (output: string) => Topology, expected: [number, number]) =>
    median(`streams.kafka.${workload}`, async (n) => {
      const applicationId = `${run}-${workload}-${n}`;
      const output = `${applicationId}-output`;
      groups.push(applicationId);
      const eos = workload.endsWith('.eos');
      const processingGuarantee = eos ? 'exactly_once' : 'at_least_once';
      const rate = await engineRate({ brokers, topology: topology(output), applicationId, outputs: [output], records, processingGuarantee });
      if (eos) await expectTransactionalOutput(log, output, expected[0]);
      else await expectOutput(log, output, expected);
      return rate;
    });
  const stateless = await engine('stateless', RECORDS, (out) => statelessTopology(input, out), [kept, kept]);
  const count = await engine('count', RECORDS, (out) => countTopology(input, out), counted);
  const join = await engine('join', RECORDS + KEY_SPACE, (out) => joinTopology(input, table, out), [RECORDS, RECORDS]);
  const eos = await engine('stateless.eos', RECORDS, (out) => statelessTopology(input, out), [kept, kept]);

  const reference = (workload: 'stateless' | 'count', expected: [number, number]) =>
    median(`reference.kafka-streams.${workload}`, async (n) => {
      const applicationId = `${run}-kstreams-${workload}-${n}`;
      const output = `${applicationId}-output`;
      groups.push(applicationId);
      await log.createTopics([{ name: output }]);
      const rate = await referenceRate({ brokers, workload, input, output, records: RECORDS, applicationId });
      await expectOutput(log, output, expected);
      return rate;
    });
  const refStateless = await reference('stateless', [kept, kept]);
  const refCount = await reference('count', counted);

  const data = `${RECORDS.toLocaleString('en-US')} records (~115 B), 1 partition`;
  const engineSetup = 'StreamsApp + KafkaLog, at-least-once, commit 1 s';
  const javaSetup = 'Kafka Streams 3.9.2 (Java 17), at-least-once, commit 1 s, default cache';
  const figures: Array<[string, number | undefined, string]> = [
    ['ceiling.kafkajs.produce', produce, `kafkajs 2.2.4 producer, 1000-record sends in turn, acks -1; ${data}`],
    ['ceiling.kafkajs.consume', consume, `kafkajs 2.2.4 consumer, eachBatch, new group from the start (group join counted); ${data}`],
    [
      'streams.kafka.stateless',
      stateless,
      `filter + mapValues + to; ${engineSetup}; ${data}${percentOf(stateless, consume, 'kafkajs consume')}${timesOf(stateless, refStateless, 'Kafka Streams')}`,
    ],
    [
      'streams.kafka.count',
      count,
      `count by key over ${KEY_SPACE.toLocaleString('en-US')} keys, LevelDB + cache; ${engineSetup}; ${data}${percentOf(count, consume, 'kafkajs consume')}${timesOf(count, refCount, 'Kafka Streams')}`,
    ],
    [
      'streams.kafka.stateless.eos',
      eos,
      `stateless, exactly_once (a transaction per task and commit, commit 100 ms, the EOS default); ${data}${percentOf(eos, stateless, 'at-least-once')}`,
    ],
    [
      'streams.kafka.join',
      join,
      `KStream.join(KTable) (DSL, LevelDB + cache), ${RECORDS.toLocaleString('en-US')} stream + ${KEY_SPACE.toLocaleString('en-US')} table records counted; ${engineSetup}`,
    ],
    ['reference.kafka-streams.stateless', refStateless, `filter + mapValues + to; ${javaSetup}; ${data}`],
    ['reference.kafka-streams.count', refCount, `groupByKey().count(), RocksDB + cache; ${javaSetup}; ${data}`],
  ];
  return figures.flatMap(([name, value, note]) => (value === undefined ? [] : [{ name, value, unit: 'records/s', note }]));
}

/**
 * The Kafka figures on a real broker (KAFKA_BROKERS, or one started here): raw kafkajs ceilings,
 * the engine's stateless / count / join workloads over KafkaLog, and the same stateless and count
 * workloads in Apache Kafka Streams (bench/kafka-streams-reference/), all over one input topic.
 */
export const kafka: BenchSuite = {
  name: 'kafka',
  async run() {
    try {
      return await withKafkaBroker(async (brokers) => {
        const run = `bench-${Date.now().toString(36)}`;
        const groups: string[] = [];
        const log = new KafkaLog({ brokers, clientId: 'bench-setup', logLevel: 'error' });
        await log.open();
        try {
          return await measure(brokers, log, run, groups);
        } finally {
          await cleanUp(log, `${run}-`, groups).catch((err: unknown) => process.stderr.write(`kafka: clean-up failed: ${String(err)}\n`));
          await log.close();
        }
      });
    } catch (err) {
      // The other suites' figures are still written; the exit code says this one failed.
      process.stderr.write(`kafka: NO KAFKA FIGURES, the suite failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
      return [];
    }
  },
};
