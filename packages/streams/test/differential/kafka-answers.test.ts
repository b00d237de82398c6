import { expect } from 'chai';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';
import type { CaseRecord, DiffCase } from './cases.js';
import { runParley } from './parley-runner.js';
import type { TopologyParams } from './topologies.js';

/*
 * Issue 18's minimal cases, pinned without Java: Kafka Streams 3.9.2's answers (taken from its
 * TopologyTestDriver through scripts/kafka-streams-differential, caching off) for each class of
 * divergence the issue found, and Parley's deliberate differences (packages/streams README,
 * "Same answers as Kafka Streams"). Each of the six classes failed on Parley before the fixes.
 * Notation: `left A l1@4` is a record on topic left, key A, value l1, timestamp 4; outputs read
 * `#<input index> <key>=<value>@<timestamp>`.
 */
const PARAMS: TopologyParams = { window: 10, grace: 5, advance: 5 };

function parse(line: string): CaseRecord[] {
  return line.split(';').map((part) => {
    const [topic, key, rest] = part.trim().split(' ') as [CaseRecord['topic'], string, string];
    const [value, ts] = rest.split('@') as [string, string];
    return { topic, key, value: value === 'null' ? null : value, ts: Number(ts) };
  });
}

async function answers(topology: string, input: string, params: Partial<TopologyParams> = {}): Promise<string[]> {
  const c: DiffCase = { topology, params: { ...PARAMS, ...params }, records: parse(input) };
  return (await runParley(c)).map((o) => `#${o.after} ${o.key}=${o.value ?? 'null'}@${o.ts}`);
}

describe("DSL > Kafka Streams' answers (issue 18)", () => {
  it('1. table-table inner: a tombstone goes out whenever the other table has a row', async () => {
    expect(await answers('table-table-inner', 'right A r1@1; left A null@2')).to.deep.equal(['#1 A=null@2']);
  });

  it('2a. foreign-key inner: a row moving between two missing right rows still forwards a tombstone', async () => {
    expect(await answers('fk-inner', 'left E l1:A@1; left E l2:B@2')).to.deep.equal(['#1 E=null@2']);
  });

  it("2b. foreign-key inner: a right update's results carry the right record's timestamp", async () => {
    expect(await answers('fk-inner', 'left D l1:C@22; right C r1@0')).to.deep.equal(['#1 D=l1:C|r1@0']);
  });

  it('2c. foreign-key inner: a left tombstone carries the later timestamp of both rows', async () => {
    expect(await answers('fk-inner', 'left D l1:D@22; right D r2@25; left D null@24')).to.deep.equal(['#1 D=l1:D|r2@25', '#2 D=null@25']);
  });

  it('3. sessions: a session ending at stream time - (gap + grace) is no longer merged into', async () => {
    expect(await answers('session-count', 'left D l1@25; left X l2@35; left D l3@30', { window: 5 })).to.deep.equal([
      '#0 D@25-25=1@25',
      '#1 X@35-35=1@35',
      '#2 D@30-30=1@30',
    ]);
  });

  it('4. stream-stream: the join store keeps window size + grace, minus one ms', async () => {
    expect(await answers('stream-stream-inner', 'left A l1@4; left B l2@29; right A r1@5')).to.deep.equal([]);
  });

  it('5. stream-stream left: unmatched records wait for the next emission pass Kafka would run', async () => {
    const input = 'left A l6@6; left B l8@10; left A l13@21; right A r18@24; right E r21@30';
    expect(await answers('stream-stream-left', input)).to.deep.equal(['#3 A=l6|null@6', '#3 A=l13|r18@24']);
  });

  it("6. stream-stream left: a record whose window ended (grace not counted) joins null at once (Kafka's KAFKA-19536)", async () => {
    expect(await answers('stream-stream-left', 'left B l1@11; left A l2@0')).to.deep.equal(['#1 A=l2|null@0']);
  });

  describe('deliberate differences', () => {
    it('onWindowClose emits a window even when a jump in stream time moves it out of retention (Kafka: never emitted)', async () => {
      // Window [0,10) closes at 15; the record at 20 makes the store drop windows starting
      // before 6 (retention size + grace = 15). Kafka 3.9.2 forwards nothing here.
      const finals = await answersClose('left A l1@6; left A l2@20');
      expect(finals).to.deep.equal(['#1 A@0-10=1@6']);
    });

    it('a 0 ms join window without grace joins records of equal timestamps (Kafka: nothing joins, its store retains 0 ms)', async () => {
      expect(await answers('stream-stream-inner', 'right c r0@0; left c l1@0', { window: 0, grace: 0 })).to.deep.equal(['#1 c=l1|r0@0']);
    });
  });
});

/** The onWindowClose tumbling count at Kafka's default retention (size + grace). */
async function answersClose(input: string): Promise<string[]> {
  const str = Serdes.string();
  const builder = new StreamsBuilder();
  builder
    .stream('left', { keySerde: str, valueSerde: str })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(PARAMS.window, PARAMS.grace))
    .emitStrategy('onWindowClose')
    .count()
    .toStream()
    .map((w, v): [string, string] => [`${w.key}@${w.window.start}-${w.window.end}`, String(v)])
    .to('out', { keySerde: str, valueSerde: str });
  const driver = await TopologyTestDriver.create(builder.build());
  const out: string[] = [];
  const output = driver.createOutputTopic('out', str, str);
  for (const [i, r] of parse(input).entries()) {
    driver.createInputTopic(r.topic, str, str).pipeInput(r.key, r.value, r.ts);
    for (const rec of output.readRecordsToList()) out.push(`#${i} ${rec.key}=${rec.value}@${rec.timestamp}`);
  }
  await driver.close();
  return out;
}
