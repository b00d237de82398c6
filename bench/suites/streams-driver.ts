import { Serdes, StreamsBuilder } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { medianRate } from '../lib/measure.js';
import type { BenchSuite } from '../lib/types.js';

const RECORDS = 200_000;
const str = Serdes.string();

/** The TopologyTestDriver running filter + mapValues + to, record by record. */
export const streamsDriver: BenchSuite = {
  name: 'streams.driver',
  async run() {
    const builder = new StreamsBuilder();
    builder
      .stream('input', { keySerde: str, valueSerde: str })
      .filter((_k, v) => !v.startsWith('drop'))
      .mapValues((v) => v.length)
      .to('output', { keySerde: str, valueSerde: Serdes.int32() });
    const driver = await TopologyTestDriver.create(builder.build(), { autoCommit: false });
    const input = driver.createInputTopic('input', str, str);
    const output = driver.createOutputTopic('output', str, Serdes.int32());
    const value = 'keep:' + 'x'.repeat(100);
    const rate = await medianRate(RECORDS, () => {
      for (let i = 0; i < RECORDS; i++) input.pipeInput(`key-${i % 1000}`, value, i);
      output.readKeyValuesToList();
    });
    await driver.close();
    return [{ name: 'streams.driver.stateless', value: rate, unit: 'records/s', note: 'filter + mapValues + to, pipeInput per record, autoCommit off' }];
  },
};
