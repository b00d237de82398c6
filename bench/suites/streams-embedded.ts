import { StreamsApp, type Topology } from '@parley/streams';
import { EmbeddedLog } from '@parley/streams/embedded';
import * as path from 'node:path';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';
import { fillTable, fillTopic, KEY_SPACE, STREAM_RECORDS } from './streams-workload.js';
import { countTopology, joinTopology, statelessTopology } from './workload-topologies.js';

interface Run {
  rate: number;
  log: EmbeddedLog;
}

/**
 * Runs `topology` over pre-filled inputs (`records` input records in all) and returns records/s
 * from `start()` until every input is processed and committed. The log stays open for the caller.
 */
async function throughput(dir: string, topology: Topology, applicationId: string, fill: (log: EmbeddedLog) => Promise<number>): Promise<Run> {
  const log = new EmbeddedLog({ dir: path.join(dir, 'log'), maintenanceIntervalMs: 0 });
  await log.open();
  const records = await fill(log);
  await log.createTopics([{ name: 'output' }], { ifNotExists: true });
  const app = new StreamsApp(topology, { applicationId, log, stateDir: path.join(dir, 'state'), commitIntervalMs: 1000 });
  const start = process.hrtime.bigint();
  await app.start();
  await app.waitUntilCaughtUp(600_000);
  await app.commit();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await app.close();
  return { rate: Math.round(records / seconds), log };
}

const input = async (log: EmbeddedLog) => {
  await fillTopic(log, 'input', STREAM_RECORDS, KEY_SPACE);
  return STREAM_RECORDS;
};

/** Restores the count store of the run before from its changelog, with no checkpoint (as after a crash). */
async function restoreRate(dir: string, log: EmbeddedLog): Promise<number> {
  const app = new StreamsApp(countTopology('input', 'output'), { applicationId: 'bench-count', log, stateDir: path.join(dir, 'state-restore') });
  let records = 0;
  let started = 0n;
  let seconds = 0;
  app.on('restore', (p) => {
    if (!p.done && p.restored === 0) started = process.hrtime.bigint();
    if (p.done) {
      seconds += Number(process.hrtime.bigint() - started) / 1e9;
      records += p.restored;
    }
  });
  await app.start();
  await app.close();
  return Math.round(records / seconds);
}

async function once(label: string, topology: Topology, fill: (log: EmbeddedLog) => Promise<number>, after?: (dir: string, log: EmbeddedLog) => Promise<number>) {
  return withTempDir(label, async (dir) => {
    const { rate, log } = await throughput(dir, topology, `bench-${label}`, fill);
    const extra = after ? await after(dir, log) : undefined;
    await log.close();
    return { rate, extra };
  });
}

/** The streams workloads on the embedded log, one partition, in one process. */
export const streamsEmbedded: BenchSuite = {
  name: 'streams.embedded',
  async run(): Promise<BenchResult[]> {
    const stateless = await once('stateless', statelessTopology('input', 'output'), input);
    const count = await once('count', countTopology('input', 'output'), input, restoreRate);
    const join = await once('join', joinTopology('input', 'table', 'output'), async (log) => {
      await fillTable(log, 'table', KEY_SPACE);
      return (await input(log)) + KEY_SPACE;
    });
    const workload = `${STREAM_RECORDS.toLocaleString('en-US')} records, 1 partition, embedded log`;
    const keys = `${KEY_SPACE.toLocaleString('en-US')} keys`;
    return [
      { name: 'streams.embedded.stateless', value: stateless.rate, unit: 'records/s', note: `filter + mapValues + to; ${workload}` },
      { name: 'streams.embedded.count', value: count.rate, unit: 'records/s', note: `groupByKey().count() over ${keys}, LevelDB + record cache; ${workload}` },
      { name: 'streams.embedded.join', value: join.rate, unit: 'records/s', note: `stream–table join, table of ${keys} in LevelDB (table records counted as input); ${workload}` },
      { name: 'streams.embedded.restore', value: count.extra!, unit: 'records/s', note: 'the count store restored from its changelog into LevelDB' },
    ];
  },
};
