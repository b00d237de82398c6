import { Serdes, StreamsApp, StreamsBuilder, Topology, keyValueStoreBuilder, type ProcessorContext, type TypedKeyValueStore } from '@parley/streams';
import { EmbeddedLog } from '@parley/streams/embedded';
import * as path from 'node:path';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';
import { fillTopic, KEY_SPACE, STREAM_RECORDS } from './streams-workload.js';

const str = Serdes.string();

function statelessTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream('input', { keySerde: str, valueSerde: str })
    .filter((_k, v) => !v.startsWith('drop'))
    .mapValues((v) => v.length)
    .to('output', { keySerde: str, valueSerde: Serdes.int32() });
  return builder.build();
}

/** Count by key, written with the Processor API over a LevelDB store (with the record cache). */
function countTopology(): Topology {
  return new Topology()
    .addSource({ name: 'source', topics: 'input', keySerde: str, valueSerde: str })
    .addProcessor<string, string, string, number>('count', () => {
      let context!: ProcessorContext<string, number>;
      let store!: TypedKeyValueStore<string, number>;
      return {
        init(c: ProcessorContext<string, number>) {
          context = c;
          store = c.getStateStore('counts');
        },
        process(record) {
          const count = (store.get(record.key) ?? 0) + 1;
          store.put(record.key, count);
          context.forward({ ...record, value: count });
        },
      };
    }, 'source')
    .addStateStore(keyValueStoreBuilder({ name: 'counts', keySerde: str, valueSerde: Serdes.int32() }), 'count')
    .addSink({ name: 'sink', topic: 'output', keySerde: str, valueSerde: Serdes.int32() }, 'count');
}

/** Runs `topology` over a pre-filled input topic and returns records/s from start to caught up. */
async function throughput(dir: string, topology: Topology, applicationId: string): Promise<{ rate: number; log: EmbeddedLog }> {
  const log = new EmbeddedLog({ dir: path.join(dir, 'log'), maintenanceIntervalMs: 0 });
  await log.open();
  await fillTopic(log, 'input', STREAM_RECORDS, KEY_SPACE);
  await log.createTopics([{ name: 'output' }], { ifNotExists: true });
  const app = new StreamsApp(topology, { applicationId, log, stateDir: path.join(dir, 'state'), commitIntervalMs: 1000 });
  const start = process.hrtime.bigint();
  await app.start();
  await app.waitUntilCaughtUp(600_000);
  await app.commit();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await app.close();
  return { rate: Math.round(STREAM_RECORDS / seconds), log };
}

/** Restores the count store of a previous run from its changelog (no checkpoint: a crash). */
async function restoreRate(dir: string, log: EmbeddedLog): Promise<number> {
  const changelog = { topic: 'bench-count-counts-changelog', partition: 0 };
  const records = (await log.endOffset(changelog)) - (await log.beginningOffset(changelog));
  const app = new StreamsApp(countTopology(), { applicationId: 'bench-count', log, stateDir: path.join(dir, 'state-restore') });
  let restoreSeconds = 0;
  let restoreStart = 0n;
  app.on('restore', (p) => {
    if (!p.done && p.restored === 0) restoreStart = process.hrtime.bigint();
    if (p.done) restoreSeconds = Number(process.hrtime.bigint() - restoreStart) / 1e9;
  });
  await app.start();
  await app.close();
  return Math.round(records / restoreSeconds);
}

export const streamsEmbedded: BenchSuite = {
  name: 'streams.embedded',
  async run(): Promise<BenchResult[]> {
    const stateless = await withTempDir('stateless', async (dir) => {
      const { rate, log } = await throughput(dir, statelessTopology(), 'bench-stateless');
      await log.close();
      return rate;
    });
    const [count, restore] = await withTempDir('count', async (dir) => {
      const { rate, log } = await throughput(dir, countTopology(), 'bench-count');
      const restored = await restoreRate(dir, log);
      await log.close();
      return [rate, restored];
    });
    const workload = `${STREAM_RECORDS.toLocaleString('en-US')} records, 1 partition, embedded log`;
    return [
      { name: 'streams.embedded.stateless', value: stateless, unit: 'records/s', note: `filter + mapValues + to; ${workload}` },
      { name: 'streams.embedded.count', value: count, unit: 'records/s', note: `count by key over ${KEY_SPACE.toLocaleString('en-US')} keys, LevelDB + cache; ${workload}` },
      { name: 'streams.embedded.restore', value: restore!, unit: 'records/s', note: 'count store restored from its changelog into LevelDB' },
    ];
  },
};
