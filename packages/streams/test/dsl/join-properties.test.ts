import { expect } from 'chai';
import fc from 'fast-check';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };
const key = fc.constantFrom('a', 'b', 'c', 'd');
/** One input record: which side, key, value (null = tombstone / null value), and a time step (ms). */
const event = fc.record({
  side: fc.constantFrom('left' as const, 'right' as const),
  key,
  value: fc.option(fc.string({ minLength: 1, maxLength: 3 }), { freq: 5 }),
  step: fc.integer({ min: 0, max: 7 }),
});
const events = fc.array(event, { maxLength: 60 });

interface Event {
  side: 'left' | 'right';
  key: string;
  value: string | null;
  step: number;
}

async function pipeAll(builder: StreamsBuilder, input: readonly Event[]) {
  const driver = await TopologyTestDriver.create(builder.build());
  const topics = { left: driver.createInputTopic('left', str, str), right: driver.createInputTopic('right', str, str) };
  let ts = 0;
  for (const e of input) topics[e.side].pipeInput(e.key, e.value, (ts += e.step));
  return driver;
}

describe('DSL > Joins > properties', () => {
  it('stream-table left join: each stream record joins the latest table value for its key at that moment', async () => {
    await fc.assert(
      fc.asyncProperty(events, async (input) => {
        const builder = new StreamsBuilder();
        builder.stream('left', consumed).leftJoin(builder.table('right', consumed), (v, t) => `${v}+${t ?? '∅'}`).to('out', { valueSerde: str });
        const driver = await pipeAll(builder, input);
        const table = new Map<string, string>();
        const expected: { key: string; value: string }[] = [];
        for (const e of input) {
          if (e.side === 'right') {
            if (e.value === null) table.delete(e.key);
            else table.set(e.key, e.value);
          } else if (e.value !== null) {
            expected.push({ key: e.key, value: `${e.value}+${table.get(e.key) ?? '∅'}` });
          }
        }
        expect(driver.createOutputTopic('out', str, str).readKeyValuesToList()).to.deep.equal(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('table-table outer join: the final result per key joins the two tables final values', async () => {
    await fc.assert(
      fc.asyncProperty(events, async (input) => {
        const builder = new StreamsBuilder();
        builder
          .table('left', consumed)
          .outerJoin(builder.table('right', consumed), (l, r) => `${l ?? '∅'}+${r ?? '∅'}`)
          .toStream()
          .to('out', { valueSerde: str });
        const driver = await pipeAll(builder, input);
        const sides = { left: new Map<string, string>(), right: new Map<string, string>() };
        for (const e of input) {
          if (e.value === null) sides[e.side].delete(e.key);
          else sides[e.side].set(e.key, e.value);
        }
        const expected = new Map<string, string>();
        for (const k of new Set([...sides.left.keys(), ...sides.right.keys()])) {
          expected.set(k, `${sides.left.get(k) ?? '∅'}+${sides.right.get(k) ?? '∅'}`);
        }
        expect(driver.createOutputTopic('out', str, str).readKeyValuesToMap()).to.deep.equal(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('stream-stream inner join: records in time order join every pair of the same key at most the window apart', async () => {
    await fc.assert(
      fc.asyncProperty(events, fc.integer({ min: 0, max: 10 }), async (input, windowMs) => {
        const builder = new StreamsBuilder();
        builder
          .stream('left', consumed)
          .join(builder.stream('right', consumed), (l, r) => `${l}+${r}`, JoinWindows.ofTimeDifferenceWithNoGrace(windowMs))
          .to('out', { valueSerde: str });
        const driver = await pipeAll(builder, input);
        let ts = 0;
        const seen: { side: string; key: string; value: string; ts: number }[] = [];
        const expected: string[] = [];
        for (const e of input) {
          ts += e.step;
          if (e.value === null) continue;
          for (const o of seen) {
            if (o.side !== e.side && o.key === e.key && Math.abs(o.ts - ts) <= windowMs) {
              expected.push(`${e.key}:${e.side === 'left' ? `${e.value}+${o.value}` : `${o.value}+${e.value}`}@${ts}`);
            }
          }
          seen.push({ side: e.side, key: e.key, value: e.value, ts });
        }
        const actual = driver.createOutputTopic('out', str, str).readRecordsToList().map((r) => `${r.key}:${r.value}@${r.timestamp}`);
        expect(actual).to.deep.equal(expected);
      }),
      { numRuns: 80 },
    );
  });
});
