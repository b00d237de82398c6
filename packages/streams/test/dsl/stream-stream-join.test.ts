import { expect } from 'chai';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import type { KStream } from '../../src/dsl/k-stream.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };
const pair = (l: string | null, r: string | null) => `${l ?? '-'}|${r ?? '-'}`;

async function drive(kind: 'inner' | 'left' | 'outer', windows: JoinWindows, options: { storeName?: string } = {}) {
  const builder = new StreamsBuilder();
  const l: KStream<string, string> = builder.stream('l', consumed);
  const r: KStream<string, string> = builder.stream('r', consumed);
  const joined = kind === 'inner' ? l.join(r, pair, windows, options) : kind === 'left' ? l.leftJoin(r, pair, windows, options) : l.outerJoin(r, pair, windows, options);
  joined.to('out', { valueSerde: str });
  const driver = await TopologyTestDriver.create(builder.build());
  const left = driver.createInputTopic('l', str, str);
  const right = driver.createInputTopic('r', str, str);
  const out = driver.createOutputTopic('out', str, str);
  const read = () => out.readRecordsToList().map((rec) => `${rec.key}:${rec.value}@${rec.timestamp}`);
  return { driver, left, right, read };
}

describe('DSL > Joins > stream-stream', () => {
  it('keeps an unmatched record while stream time equals its window end plus grace, so a late partner still matches', async () => {
    const { left, right, read } = await drive('left', JoinWindows.ofTimeDifferenceAndGrace(10, 5));
    left.pipeInput('k', 'A', 0);
    left.pipeInput('k', 'B', 15);
    expect(read()).to.deep.equal([]);
    right.pipeInput('k', 'a', 10);
    expect(read()).to.deep.equal(['k:A|a@10', 'k:B|a@15']);
    left.pipeInput('x', 'C', 16);
    left.pipeInput('x', 'D', 100);
    // A and B were matched; only C (window + grace closed at 31) is emitted unmatched, with its own timestamp.
    expect(read()).to.deep.equal(['x:C|-@16']);
  });

  it('emits an unmatched record once stream time passes its window end plus grace', async () => {
    const { left, read } = await drive('left', JoinWindows.ofTimeDifferenceAndGrace(10, 5));
    left.pipeInput('k', 'A', 0);
    left.pipeInput('z', 'Z', 15);
    expect(read()).to.deep.equal([]);
    left.pipeInput('z', 'Y', 16);
    expect(read()).to.deep.equal(['k:A|-@0']);
  });

  it('joins every record of the other side, including two with the same key and timestamp', async () => {
    const { left, right, read } = await drive('inner', JoinWindows.ofTimeDifferenceWithNoGrace(5));
    left.pipeInput('k', 'A1', 10);
    left.pipeInput('k', 'A2', 10);
    right.pipeInput('k', 'b', 12);
    expect(read()).to.deep.equal(['k:A1|b@12', 'k:A2|b@12']);
  });

  it('honours asymmetric windows: with before(0) only later right records join a left record', async () => {
    const { left, right, read } = await drive('inner', JoinWindows.ofTimeDifferenceWithNoGrace(10).before(0));
    left.pipeInput('k', 'L1', 10);
    right.pipeInput('k', 'R1', 15);
    right.pipeInput('k', 'R2', 20);
    left.pipeInput('k', 'L2', 25);
    expect(read()).to.deep.equal(['k:L1|R1@15', 'k:L1|R2@20']);
  });

  it('drops null values, and null keys unless the side is outer, which emits them at once', async () => {
    const inner = await drive('inner', JoinWindows.ofTimeDifferenceWithNoGrace(5));
    inner.left.pipeInput(null, 'N', 1);
    inner.left.pipeInput('k', null, 1);
    expect(inner.read()).to.deep.equal([]);
    const outer = await drive('outer', JoinWindows.ofTimeDifferenceWithNoGrace(5));
    outer.left.pipeInput(null, 'N', 1);
    outer.right.pipeInput(null, 'n', 2);
    expect(outer.read()).to.deep.equal(['null:N|-@1', 'null:-|n@2']);
  });

  it('emits at once a record whose window had already closed when it arrived', async () => {
    const { left, read } = await drive('left', JoinWindows.ofTimeDifferenceAndGrace(5, 5));
    left.pipeInput('a', 'new', 100);
    left.pipeInput('b', 'late', 50);
    expect(read()).to.deep.equal(['b:late|-@50']);
  });

  it('names its stores after storeName and restores them from their changelogs after a crash', async () => {
    const { driver, left, right, read } = await drive('left', JoinWindows.ofTimeDifferenceAndGrace(10, 0), { storeName: 'pairs' });
    left.pipeInput('k', 'A', 0);
    left.pipeInput('m', 'M', 1);
    const changelog = (store: string) => driver.readTopic(`test-app-pairs-${store}-changelog`).length;
    expect([changelog('this-join-store'), changelog('other-join-store'), changelog('outer-shared-join-store')]).to.deep.equal([2, 0, 2]);
    await driver.crash({ phase: 'after-flush' });
    right.pipeInput('k', 'a', 5);
    expect(read()).to.deep.equal(['k:A|a@5']);
    left.pipeInput('z', 'Z', 12);
    // M (window closed at 11) was restored into the outer store and is emitted now; A was matched.
    expect(read()).to.deep.equal(['m:M|-@1']);
    await driver.close();
  });

  it('rejects a stream of another builder, non-JoinWindows and negative durations', () => {
    const builder = new StreamsBuilder();
    const s = builder.stream('s', consumed);
    expect(() => s.join(new StreamsBuilder().stream('o', consumed), pair, JoinWindows.ofTimeDifferenceWithNoGrace(1))).to.throw(TypeError);
    expect(() => s.join(builder.stream('o', consumed), pair, { beforeMs: 1 } as never)).to.throw(TypeError);
    expect(() => JoinWindows.ofTimeDifferenceAndGrace(-1, 0)).to.throw(RangeError);
    expect(() => JoinWindows.ofTimeDifferenceWithNoGrace(1.5)).to.throw(RangeError);
  });
});
