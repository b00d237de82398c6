import * as path from 'node:path';
import { Serdes, StreamsApp, type Log } from '@parley/streams';
import { EmbeddedLog } from '@parley/streams/embedded';
import { buildWordCountTopology, DEFAULTS } from './topology.js';

export interface RunOptions {
  /** Holds the embedded log (`<dataDir>/log`) and the application's state (`<dataDir>/state`). */
  dataDir: string;
  sentences: readonly string[];
  /** Partitions of the input and output topics; default 2. */
  partitions?: number;
}

/**
 * Runs the word count on an embedded log under `dataDir`: creates the topics, starts the
 * application, appends the sentences, waits until every record (the repartitioned words too) is
 * processed, and returns the latest count per word as read back from the output topic.
 */
export async function runWordCountOnEmbeddedLog(options: RunOptions): Promise<Map<string, number>> {
  const partitions = options.partitions ?? 2;
  const log = new EmbeddedLog({ dir: path.join(options.dataDir, 'log'), maintenanceIntervalMs: 0 });
  await log.open();
  try {
    await log.createTopics(
      [
        { name: DEFAULTS.inputTopic, partitions },
        { name: DEFAULTS.outputTopic, partitions },
      ],
      { ifNotExists: true },
    );
    const app = new StreamsApp(buildWordCountTopology(), { applicationId: 'word-count', log, stateDir: path.join(options.dataDir, 'state') });
    await app.start();
    try {
      await log.append(
        DEFAULTS.inputTopic,
        options.sentences.map((sentence, i) => ({ key: null, value: Buffer.from(sentence), timestamp: Date.now() + i })),
      );
      await settle(app);
    } finally {
      await app.close();
    }
    return await latestCounts(log, partitions);
  } finally {
    await log.close();
  }
}

/**
 * Words reach the counting task through a repartition topic, written after the sentences are
 * processed: wait and commit (which appends everything buffered) until no partition lags.
 */
async function settle(app: StreamsApp): Promise<void> {
  for (;;) {
    await app.waitUntilCaughtUp();
    await app.commit();
    if ((await app.lag()).every((l) => l.lag === 0)) return;
  }
}

async function latestCounts(log: Log, partitions: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const long = Serdes.long();
  for (let partition = 0; partition < partitions; partition++) {
    const tp = { topic: DEFAULTS.outputTopic, partition };
    for (let offset = await log.beginningOffset(tp); ; ) {
      const page = await log.read(tp, offset, { maxRecords: 1000 });
      if (page.length === 0) break;
      // A word lives in one partition, where its counts arrive in order: the last one wins.
      for (const record of page) counts.set(record.key!.toString(), long.deserialize(record.value!));
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  return counts;
}
