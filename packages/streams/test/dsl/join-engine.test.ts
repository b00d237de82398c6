import { expect } from 'chai';
import { StreamsApp } from '../../src/app/streams-app.js';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { StreamsError } from '../../src/errors.js';
import type { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { Serdes } from '../../src/serde/serdes.js';
import { openEmbeddedLog, readTopic, until } from '../app/app-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };

async function append(log: EmbeddedLog, topic: string, entries: Array<[string, string | null]>, timestamp: number): Promise<void> {
  await log.append(topic, entries.map(([k, v], i) => ({ key: Buffer.from(k), value: v === null ? null : Buffer.from(v), timestamp: timestamp + i })));
}

/** The latest output value per key, decoded. */
async function latest(log: EmbeddedLog, topic: string): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const r of (await readTopic(log, topic)).sort((a, b) => a.timestamp - b.timestamp || a.offset - b.offset)) {
    out[r.key!.toString()] = r.value === null ? null : r.value.toString();
  }
  return out;
}

describe('DSL > Joins > on the engine', () => {
  const mismatched: Record<string, (b: StreamsBuilder) => void> = {
    'stream-table': (b) => b.stream('orders', consumed).join(b.table('customers', consumed), (o, c) => o + c).to('out', { valueSerde: str }),
    'stream-stream': (b) =>
      b.stream('orders', consumed).join(b.stream('customers', consumed), (o, c) => o + c, JoinWindows.ofTimeDifferenceWithNoGrace(10)).to('out', { valueSerde: str }),
    'table-table': (b) => b.table('orders', consumed).join(b.table('customers', consumed), (o, c) => o + c).toStream().to('out', { valueSerde: str }),
  };
  for (const [name, declare] of Object.entries(mismatched)) {
    it(`refuses to start a ${name} join whose inputs have different partition counts (STREAMS_COPARTITION_MISMATCH)`, async () => {
      const log = await openEmbeddedLog();
      await log.createTopics([{ name: 'orders', partitions: 2 }, { name: 'customers', partitions: 3 }, { name: 'out', partitions: 1 }]);
      const builder = new StreamsBuilder();
      declare(builder);
      const app = new StreamsApp(builder.build(), { applicationId: `mismatch-${name}`, log, stateDir: tempDir('join-state') });
      const err = await app.start().then(() => undefined, (e: unknown) => e as StreamsError);
      expect(err?.code).to.equal('STREAMS_COPARTITION_MISMATCH');
      expect(app.state).to.equal('closed');
      await log.close();
    });
  }

  it('runs a foreign-key join between tables of 3 and 2 partitions, on LevelDB stores', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'orders', partitions: 3 }, { name: 'customers', partitions: 2 }, { name: 'out', partitions: 2 }]);
    const builder = new StreamsBuilder();
    builder
      .table('orders', consumed)
      .leftJoin(builder.table('customers', consumed), (v) => v.split('/')[0]!, (v, c) => `${v}:${c ?? '?'}`)
      .toStream()
      .to('out', { valueSerde: str });
    await append(log, 'customers', [['c1', 'Ada'], ['c2', 'Grace']], 1000);
    await append(log, 'orders', Array.from({ length: 20 }, (_, i) => [`o${i}`, `c${(i % 3) + 1}/item${i}`] as [string, string]), 2000);
    const topology = builder.build();
    const [registration, response] = topology.plan('fk-engine').repartitionTopics.map((t) => t.name);
    const app = new StreamsApp(topology, { applicationId: 'fk-engine', log, stateDir: tempDir('join-state'), commitIntervalMs: 50 });
    await app.start();
    const expected = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`o${i}`, `c${(i % 3) + 1}/item${i}:${['Ada', 'Grace', '?'][i % 3]}`]));
    await until(async () => Object.keys(await latest(log, 'out')).length >= 20);
    expect(sortKeys(await latest(log, 'out'))).to.deep.equal(sortKeys(expected));
    // Each internal topic takes the partition count of the table it is co-partitioned with.
    expect((await log.describeTopic(registration!)).partitions).to.equal(2);
    expect((await log.describeTopic(response!)).partitions).to.equal(3);
    await append(log, 'customers', [['c3', 'Edsger']], 3000);
    await until(async () => (await latest(log, 'out'))['o2'] === 'c3/item2:Edsger');
    await app.close();
    await log.close();
  });

  it('keeps a stream-stream left join waiting across a restart (LevelDB window and outer stores) and emits after it', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'clicks', partitions: 1 }, { name: 'views', partitions: 1 }, { name: 'out', partitions: 1 }]);
    const declare = () => {
      const builder = new StreamsBuilder();
      builder
        .stream('clicks', consumed)
        .leftJoin(builder.stream('views', consumed), (c, v) => `${c}/${v ?? '-'}`, JoinWindows.ofTimeDifferenceAndGrace(100, 0), { storeName: 'cv' })
        .to('out', { valueSerde: str });
      return builder.build();
    };
    const stateDir = tempDir('join-state');
    const options = { applicationId: 'ss-engine', log, stateDir, commitIntervalMs: 10 };
    await append(log, 'clicks', [['u1', 'c1'], ['u2', 'c2']], 1000);
    let app = new StreamsApp(declare(), options);
    await app.start();
    await app.waitUntilCaughtUp();
    await app.close();
    expect(await readTopic(log, 'out')).to.have.length(0);
    await append(log, 'views', [['u1', 'v1']], 1050);
    await append(log, 'clicks', [['u3', 'c3']], 2000);
    app = new StreamsApp(declare(), options);
    await app.start();
    await until(async () => Object.keys(await latest(log, 'out')).length === 2);
    expect(await latest(log, 'out')).to.deep.equal({ u1: 'c1/v1', u2: 'c2/-' });
    await app.close();
    await log.close();
  });

  it('bootstraps a global table before processing and joins streams of any partitioning with it', async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'rates', partitions: 2 }, { name: 'payments', partitions: 3 }, { name: 'out', partitions: 1 }]);
    await append(log, 'rates', [['EUR', '1.1'], ['GBP', '1.3']], 1000);
    await append(log, 'payments', [['p1', 'EUR'], ['p2', 'GBP'], ['p3', 'JPY']], 2000);
    const builder = new StreamsBuilder();
    const rates = builder.globalTable('rates', consumed);
    builder.stream('payments', consumed).leftJoin(rates, (_k, currency) => currency, (c, rate) => `${c}@${rate ?? 'n/a'}`).to('out', { valueSerde: str });
    const app = new StreamsApp(builder.build(), { applicationId: 'global-engine', log, stateDir: tempDir('join-state') });
    await app.start();
    await until(async () => Object.keys(await latest(log, 'out')).length === 3);
    expect(await latest(log, 'out')).to.deep.equal({ p1: 'EUR@1.1', p2: 'GBP@1.3', p3: 'JPY@n/a' });
    await app.close();
    await log.close();
  });
});

function sortKeys(record: Record<string, string | null>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
