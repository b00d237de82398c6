import { expect } from 'chai';
import { StreamsApp } from '../../src/app/streams-app.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import { WindowedSerdes } from '../../src/dsl/windowed-serdes.js';
import type { Windowed } from '../../src/dsl/windowed.js';
import type { Serde } from '../../src/serde/types.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';
import { openEmbeddedLog, readTopic } from '../app/app-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';
import { int, long, str } from './windowed-helpers.js';

const rows = (driver: TopologyTestDriver, keySerde: Serde<Windowed<string>>) =>
  driver
    .createOutputTopic('out', keySerde, long)
    .readRecordsToList()
    .map((r) => `${r.key!.key}@${r.key!.window.start}-${r.key!.window.end}=${r.value}`);

describe('DSL > Windowed state across restarts', () => {
  it('a restored window store keeps closed windows closed: a replayed old record is late, not a fresh count', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: str, valueSerde: int }).groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count().toStream().to('out');
    const driver = await TopologyTestDriver.create(builder.build(), { autoCommit: false });
    const input = driver.createInputTopic('in', str, int);
    input.pipeInput('a', 1, 3);
    input.pipeInput('a', 1, 4);
    input.pipeInput('a', 1, 40);
    // Nothing committed: everything is replayed on top of the restored (complete) state.
    await driver.crash({ phase: 'after-flush' });
    const out = rows(driver, WindowedSerdes.timeWindowed(str, 10));
    // The processor starts from the stream time the restored store had reached (40), so the
    // replayed t=3 and t=4 are late instead of counting [0,10) again from an expired window.
    expect(out).to.deep.equal(['a@0-10=1', 'a@0-10=2', 'a@40-50=1', 'a@40-50=2']);
  });

  it("onWindowClose finals lost with a before-flush crash are emitted again, and finals already out are not repeated after an after-flush crash", async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: str, valueSerde: int })
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .emitStrategy('onWindowClose')
      .count()
      .toStream()
      .to('out');
    const driver = await TopologyTestDriver.create(builder.build(), { autoCommit: false });
    const input = driver.createInputTopic('in', str, int);
    input.pipeInput('a', 1, 1);
    input.pipeInput('b', 1, 2);
    driver.commit();
    input.pipeInput('a', 1, 15); // closes [0,10): emits a and b
    await driver.crash({ phase: 'before-flush' }); // the finals are lost with it...
    expect(rows(driver, WindowedSerdes.timeWindowed(str, 10))).to.deep.equal(['a@0-10=1', 'b@0-10=1']); // ...and emitted again
    driver.commit();
    input.pipeInput('a', 1, 25); // closes [10,20)
    await driver.crash({ phase: 'after-flush' });
    expect(rows(driver, WindowedSerdes.timeWindowed(str, 10))).to.deep.equal(['a@0-10=1', 'b@0-10=1', 'a@10-20=1']);
  });

  it('sessions are restored from their changelog and keep merging after a crash', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: str, valueSerde: int })
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 100))
      .count({ materialized: { storeName: 'sessions' } })
      .toStream()
      .to('out');
    const driver = await TopologyTestDriver.create(builder.build(), { autoCommit: false });
    const input = driver.createInputTopic('in', str, int);
    input.pipeInput('a', 1, 0);
    input.pipeInput('a', 1, 20);
    driver.commit();
    await driver.crash({ phase: 'before-flush' });
    input.pipeInput('a', 1, 10); // within 5 of neither session: a third one
    input.pipeInput('a', 1, 5); // bridges [0,0] and [10,10]
    input.pipeInput('a', 1, 15); // bridges [0,10] and [20,20]
    const latest = new Map<string, number | null>();
    for (const row of rows(driver, WindowedSerdes.sessionWindowed(str))) {
      const [id, value] = row.split('=');
      latest.set(id!, value === 'null' ? null : Number(value));
    }
    expect([...latest].filter(([, v]) => v !== null)).to.deep.equal([['a@0-20', 5]]);
    const changelog = driver.readTopic('test-app-sessions-changelog');
    // Layout: key bytes + session end (8 bytes) → session start (8 bytes) + value bytes.
    const last = changelog[changelog.length - 1]!;
    expect([last.key!.subarray(0, 1).toString(), last.key!.readBigUInt64BE(1), last.value!.readBigUInt64BE(0), last.value!.readBigInt64BE(8)]).to.deep.equal(['a', 20n, 0n, 5n]);
  });

  it('runs on the engine with a LevelDB window store and restores it after a restart', async function () {
    this.timeout(20_000);
    const log = await openEmbeddedLog();
    const stateDir = tempDir('windowed-state');
    await log.createTopics([{ name: 'clicks', partitions: 2 }, { name: 'clicks-per-10ms', partitions: 2 }]);
    const topology = () => {
      const builder = new StreamsBuilder();
      builder
        .stream('clicks', { keySerde: str, valueSerde: str })
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
        .count({ materialized: { storeName: 'clicks-windowed' } })
        .toStream()
        .to('clicks-per-10ms');
      return builder.build();
    };
    const produce = (entries: [string, number][]) =>
      log.append('clicks', entries.map(([k, ts]) => ({ key: Buffer.from(k), value: Buffer.from('x'), timestamp: ts })));
    const run = async () => {
      const app = new StreamsApp(topology(), { applicationId: 'windowed-app', log, stateDir, commitIntervalMs: 0 });
      await app.start();
      await app.waitUntilCaughtUp();
      await app.close();
    };
    await produce([['u1', 1], ['u2', 2], ['u1', 3], ['u1', 12]]);
    await run();
    await produce([['u1', 5], ['u1', 30], ['u1', 7]]); // 5 within grace; 7 late (stream time 30)
    await run();
    const serde = WindowedSerdes.timeWindowed(str, 10);
    const latest = new Map<string, number>();
    for (const r of (await readTopic(log, 'clicks-per-10ms')).sort((x, y) => x.offset - y.offset)) {
      const key = serde.deserialize(r.key!);
      latest.set(`${key.key}@${key.window.start}`, long.deserialize(r.value!));
    }
    // u1@0 counted 1, 3 and (after the restart, from the restored LevelDB store) 5.
    expect(Object.fromEntries(latest)).to.deep.equal({ 'u1@0': 3, 'u2@0': 1, 'u1@10': 1, 'u1@30': 1 });
    const description = await log.describeTopic('windowed-app-clicks-windowed-changelog');
    expect(description.partitions).to.equal(2);
    await log.close();
  });
});
