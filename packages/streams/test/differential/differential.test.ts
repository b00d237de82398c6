import { expect } from 'chai';
import fc from 'fast-check';
import { describeIfKafkaStreams, kafkaStreamsClasspath } from '../helpers/services.js';
import { caseArbitrary, formatCase, formatOutputs, type DiffCase, type DiffOutput } from './cases.js';
import { KafkaStreamsRunner } from './kafka-streams-runner.js';
import { runParley } from './parley-runner.js';
import { readsRight, TOPOLOGIES, type TopologyParams } from './topologies.js';

/*
 * Issue 18: the same random inputs through Kafka Streams 3.9.2's own TopologyTestDriver (Java,
 * caching off, scripts/kafka-streams-differential/) and Parley's (1 partition); the outputs —
 * topic, key, value, timestamp, order, and the input record that triggered each — must agree
 * exactly. PARLEY_DIFF_RUNS sets the cases per topology (default 40 keeps the suite within a
 * couple of minutes on 2 cores); PARLEY_DIFF_SEED replays a run.
 */
const RUNS = Number(process.env['PARLEY_DIFF_RUNS'] ?? 40);
const SEED = process.env['PARLEY_DIFF_SEED'] === undefined ? undefined : Number(process.env['PARLEY_DIFF_SEED']);

const PARAMS: Record<string, Partial<TopologyParams>> = {
  // The shapes: 10 ms windows with 5 ms grace, 5 ms session gaps.
  'session-count': { window: 5 },
  'session-count-close': { window: 5 },
};
const paramsOf = (id: string): TopologyParams => ({ window: 10, grace: 5, advance: 5, ...PARAMS[id] });

describeIfKafkaStreams('DSL > differential: same answers as Kafka Streams', function () {
  this.timeout(0);
  let kafka: KafkaStreamsRunner;

  before(() => {
    kafka = new KafkaStreamsRunner(kafkaStreamsClasspath());
  });
  after(async () => {
    await kafka.close();
  });

  const differ = async (c: DiffCase): Promise<{ expected: DiffOutput[]; actual: DiffOutput[] }> => {
    const [expected, actual] = await Promise.all([kafka.run(c), runParley(c)]);
    return { expected, actual };
  };

  for (const id of Object.keys(TOPOLOGIES)) {
    it(`${id}: outputs, timestamps and emission points equal Kafka Streams'`, async () => {
      const params = paramsOf(id);
      let report = '';
      try {
        await fc.assert(
          fc.asyncProperty(caseArbitrary(id, params, readsRight(id)), async (c) => {
            const { expected, actual } = await differ(c);
            try {
              expect(actual).to.deep.equal(expected);
            } catch (mismatch) {
              // Shrinking ends on the smallest failing case, so the last report written is that one's.
              report = `case (${id}, ${JSON.stringify(params)}):\n${formatCase(c)}\nKafka Streams:\n${formatOutputs(expected)}\nParley:\n${formatOutputs(actual)}`;
              throw mismatch;
            }
          }),
          { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
        );
      } catch (error) {
        if (report === '') throw error;
        throw new Error(`${(error as Error).message.split('\n')[0]}\n${report}`, { cause: error });
      }
    });
  }
});
