import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { Serdes } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { runWordCountOnEmbeddedLog } from '../src/run-on-embedded-log.js';
import { buildWordCountTopology, DEFAULTS, words } from '../src/topology.js';

const str = Serdes.string();

/** The count of every word in `sentences`, computed directly. */
function model(sentences: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of sentences.flatMap(words)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

describe('Examples > Word count', () => {
  it('emits an updated count for every word, in order (TopologyTestDriver)', async () => {
    const driver = await TopologyTestDriver.create(buildWordCountTopology(), { partitions: 2 });
    const input = driver.createInputTopic(DEFAULTS.inputTopic, str, str);
    input.pipeInput(null, 'Hello Kafka Streams', 1);
    input.pipeInput(null, 'All streams lead to Kafka', 2);
    input.pipeInput(null, '  join KAFKA summit!', 3);
    const output = driver.createOutputTopic(DEFAULTS.outputTopic, str, Serdes.long());
    const byWord = new Map<string, number[]>();
    for (const { key, value } of output.readKeyValuesToList()) byWord.set(key!, [...(byWord.get(key!) ?? []), value!]);
    expect(Object.fromEntries(byWord)).to.deep.equal({
      hello: [1],
      kafka: [1, 2, 3],
      streams: [1, 2],
      all: [1],
      lead: [1],
      to: [1],
      join: [1],
      summit: [1],
    });
    expect(driver.getKeyValueStore<string, number>(DEFAULTS.storeName).get('kafka')).to.equal(3);
    await driver.close();
  });

  it('counts words on the embedded log with StreamsApp, as `npm start` runs it', async function () {
    this.timeout(30_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-word-count-test-'));
    try {
      const first = ['the quick brown fox', 'jumps over the lazy dog'];
      expect(await runWordCountOnEmbeddedLog({ dataDir, sentences: first, partitions: 3 })).to.deep.equal(model(first));
      // A second run on the same data: the counts carry on from the restored state.
      const second = ['The dog sleeps, the fox runs'];
      const counts = await runWordCountOnEmbeddedLog({ dataDir, sentences: second, partitions: 3 });
      expect(counts).to.deep.equal(model([...first, ...second]));
      expect(counts.get('the')).to.equal(4);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
