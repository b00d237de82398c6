import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/testing/topology-test-driver.js';
import type { DiffCase, DiffOutput } from './cases.js';
import { buildTopology, OUTPUT_TOPICS } from './topologies.js';

const str = Serdes.string();

/** Runs a case through Parley's TopologyTestDriver (1 partition), reading the outputs after each input record. */
export async function runParley(c: DiffCase): Promise<DiffOutput[]> {
  const driver = await TopologyTestDriver.create(buildTopology(c.topology, c.params), { applicationId: 'diff' });
  try {
    const outputs = OUTPUT_TOPICS.map((name) => [name, driver.createOutputTopic(name, str, str)] as const);
    const result: DiffOutput[] = [];
    for (const [after, r] of c.records.entries()) {
      await driver.createInputTopic(r.topic, str, str).pipeInputAsync(r.key, r.value, r.ts);
      for (const [topic, output] of outputs) {
        for (const rec of output.readRecordsToList()) result.push({ after, topic, key: rec.key, value: rec.value, ts: rec.timestamp });
      }
    }
    return result;
  } finally {
    await driver.close();
  }
}
