import { expect } from 'chai';
import fc from 'fast-check';
import { describeIfKafka } from '../../helpers/services.js';
import { aggregationCase, aggregationInputs, aggregationModel } from './aggregation-cases.js';
import { embeddedBackend, kafkaBackend, runCase } from './backend-matrix.js';

/** Few runs: each is a StreamsApp start on each backend. The DSL tests run the same property 40 times in the driver. */
const NUM_RUNS = 5;

describe('App > Matrix > aggregations > embedded log', function () {
  this.timeout(30_000);
  it('count and reduce through StreamsApp emit exactly the running model', async () => {
    await fc.assert(
      fc.asyncProperty(aggregationInputs, async (input) => {
        expect(await runCase(embeddedBackend, aggregationCase(input))).to.deep.equal(aggregationModel(input));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describeIfKafka('App > Matrix > aggregations > Kafka', function () {
  this.timeout(60_000);
  it('count and reduce emit the same outputs on Kafka as on the embedded log, and both equal the running model', async () => {
    await fc.assert(
      fc.asyncProperty(aggregationInputs, async (input) => {
        const [onEmbedded, onKafka] = [await runCase(embeddedBackend, aggregationCase(input)), await runCase(kafkaBackend, aggregationCase(input))];
        expect(onKafka).to.deep.equal(onEmbedded);
        expect(onKafka).to.deep.equal(aggregationModel(input));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
