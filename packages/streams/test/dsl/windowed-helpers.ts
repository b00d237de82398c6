import type { DroppedRecord } from '../../src/dsl/grouped.js';
import type { KStream } from '../../src/dsl/k-stream.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { Windowed } from '../../src/dsl/windowed.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { Serde } from '../../src/serde/types.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';

export const str = Serdes.string();
export const int = Serdes.int32();
export const long = Serdes.long();

/** One output record of a windowed aggregation: key, window start, window end, value, timestamp. */
export type WindowedRow = [string, number, number, number | null, number];

/**
 * Builds `in` (string keys, int values) → `declare` → `out`, pipes `[key, value, timestamp]`
 * records and returns the rows written to `out` and what the aggregation dropped.
 */
export async function runWindowed(
  declare: (stream: KStream<string, number>, onDropped: (d: DroppedRecord) => void) => { to(topic: string): void },
  outKeySerde: Serde<Windowed<string>>,
  records: readonly (readonly [string | null, number | null, number])[],
): Promise<{ rows: WindowedRow[]; dropped: DroppedRecord[]; driver: TopologyTestDriver }> {
  const dropped: DroppedRecord[] = [];
  const builder = new StreamsBuilder();
  declare(builder.stream('in', { keySerde: str, valueSerde: int }), (d) => dropped.push(d)).to('out');
  const driver = await TopologyTestDriver.create(builder.build());
  const input = driver.createInputTopic('in', str, int);
  for (const [k, v, ts] of records) input.pipeInput(k, v, ts);
  const rows = driver
    .createOutputTopic('out', outKeySerde, long)
    .readRecordsToList()
    .map((r): WindowedRow => [r.key!.key, r.key!.window.start, r.key!.window.end, r.value, r.timestamp]);
  return { rows, dropped, driver };
}
