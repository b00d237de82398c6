import { StreamsApp, type Topology } from '@parley/streams';
import { KafkaLog } from '@parley/streams/kafka';
import { withTempDir } from '../lib/temp.js';

export interface EngineRun {
  brokers: string[];
  topology: Topology;
  /** Fresh per run: names the consumer group and the changelog topics. */
  applicationId: string;
  /** Sink topics, created before the clock starts (the broker does not auto-create topics). */
  outputs: string[];
  /** Input records the run processes (what the rate is computed from). */
  records: number;
  /** Default 'at_least_once' with commitIntervalMs 1000; 'exactly_once' runs with the engine's EOS default (100 ms). */
  processingGuarantee?: 'at_least_once' | 'exactly_once';
}

/**
 * Runs a topology with StreamsApp over KafkaLog and returns input records per second, timed from
 * `start()` (topic checks, group join, restore) until every input partition is processed to its
 * end and committed (stores flushed, outputs appended, offsets committed). At-least-once runs use
 * commitIntervalMs 1000 and default caching, the settings of the Java reference program.
 */
export async function engineRate(run: EngineRun): Promise<number> {
  const log = new KafkaLog({ brokers: run.brokers, clientId: run.applicationId, logLevel: 'error' });
  await log.open();
  try {
    await log.createTopics(run.outputs.map((name) => ({ name })), { ifNotExists: true });
    return await withTempDir('kafka-state', async (stateDir) => {
      const guarantee = run.processingGuarantee ?? 'at_least_once';
      const app = new StreamsApp(run.topology, {
        applicationId: run.applicationId,
        log,
        stateDir,
        processingGuarantee: guarantee,
        ...(guarantee === 'at_least_once' ? { commitIntervalMs: 1000 } : {}),
      });
      const start = process.hrtime.bigint();
      await app.start();
      try {
        await app.waitUntilCaughtUp(600_000);
        await app.commit();
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (app.processedRecords < run.records) throw new Error(`${run.applicationId} processed ${app.processedRecords} of ${run.records} records`);
        return Math.round(run.records / seconds);
      } finally {
        await app.close();
      }
    });
  } finally {
    await log.close();
  }
}
