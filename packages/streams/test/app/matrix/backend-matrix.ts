import { StreamsApp } from '../../../src/app/streams-app.js';
import { EmbeddedLog } from '../../../src/log/embedded/embedded-log.js';
import type { Log, LogRecord, NewTopic, ProducerRecord } from '../../../src/log/types.js';
import type { Topology } from '../../../src/processor/topology.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { readTopic } from '../app-helpers.js';
import { openKafkaLog, uniqueName } from '../kafka/kafka-app-helpers.js';

/** One topology and its input, to be run the same way on every backend. */
export interface MatrixCase {
  name: string;
  /** The topics the topology reads and writes (internal ones are the application's). */
  topics: NewTopic[];
  /** A fresh topology each run. */
  topology: () => Topology;
  /** Appended before the application starts, in this order within each topic. */
  input: MatrixInput[];
  /**
   * Appended after it started, one step at a time, each once the previous one has been processed
   * through every sub-topology: the engine then sees the input as the TopologyTestDriver does.
   */
  steps?: MatrixInput[][];
  /** The topics whose records are compared. */
  outputs: string[];
  /** How an output value prints; default: UTF-8, `null` for a null value. */
  decode?: (record: LogRecord) => string | null;
}

export type MatrixInput = ProducerRecord & { topic: string };

/** Per output topic, per key (`null` for no key), the decoded values in log order. */
export type MatrixOutput = Record<string, Record<string, Array<string | null>>>;

export interface Backend {
  name: 'embedded' | 'kafka';
  /**
   * A log of its own for one case: on the embedded backend a fresh directory; on Kafka a KafkaLog
   * in a fresh namespace, so the case's fixed topic names (an example's `orders`, a golden
   * table's `left`) meet no other test's or earlier run's.
   */
  open(): Promise<Log>;
}

export const embeddedBackend: Backend = {
  name: 'embedded',
  async open() {
    const log = new EmbeddedLog({ dir: tempDir('matrix-log'), maintenanceIntervalMs: 0 });
    await log.open();
    return log;
  },
};

export const kafkaBackend: Backend = { name: 'kafka', open: () => openKafkaLog({ namespace: uniqueName('matrix') }) };

/** A record for `MatrixCase.input` from strings. */
export const rec = (topic: string, key: string | null, value: string | null, timestamp: number): MatrixInput => ({
  topic,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  timestamp,
});

/** Runs `matrixCase` through a StreamsApp on a log of its own from `backend` until every sub-topology has caught up, and returns its outputs. */
export async function runCase(backend: Backend, matrixCase: MatrixCase): Promise<MatrixOutput> {
  const log = await backend.open();
  try {
    return await runOn(log, matrixCase);
  } finally {
    await log.close();
  }
}

async function runOn(log: Log, matrixCase: MatrixCase): Promise<MatrixOutput> {
  const applicationId = uniqueName(matrixCase.name.replace(/[^a-zA-Z0-9._-]/g, '-'));
  await log.createTopics(matrixCase.topics);
  await appendAll(log, matrixCase.input);
  const app = new StreamsApp(matrixCase.topology(), { applicationId, log, stateDir: tempDir('matrix-state'), commitIntervalMs: 50 });
  try {
    await app.start();
    await settle(app);
    for (const step of matrixCase.steps ?? []) {
      await appendAll(log, step);
      await settle(app);
    }
  } finally {
    await app.close();
  }
  const decode = matrixCase.decode ?? ((r: LogRecord) => (r.value === null ? null : r.value.toString()));
  const out: MatrixOutput = {};
  for (const topic of matrixCase.outputs) {
    const perKey: Record<string, Array<string | null>> = {};
    for (const record of await readTopic(log, topic)) (perKey[record.key?.toString() ?? 'null'] ??= []).push(decode(record));
    out[topic] = perKey;
  }
  return out;
}

async function appendAll(log: Log, input: readonly MatrixInput[]): Promise<void> {
  const byTopic = new Map<string, ProducerRecord[]>();
  for (const { topic, ...record } of input) {
    let records = byTopic.get(topic);
    if (records === undefined) byTopic.set(topic, (records = []));
    records.push(record);
  }
  for (const [topic, records] of byTopic) await log.append(topic, records);
}

/**
 * Waits until nothing is left to process: caught up, committed (which appends what was produced
 * to repartition topics), and still caught up afterwards, so records that went round through an
 * internal topic were processed too.
 */
async function settle(app: StreamsApp): Promise<void> {
  for (let round = 0; round < 50; round++) {
    await app.waitUntilCaughtUp(30_000);
    await app.commit();
    if ((await app.lag()).every((l) => l.lag === 0)) return;
  }
  throw new Error(`${app.applicationId} never settled`);
}

