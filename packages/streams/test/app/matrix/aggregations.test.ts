import { expect } from 'chai';
import fc from 'fast-check';
import { describeIfKafka } from '../../helpers/services.js';
import { aggregationCase, aggregationInputs, aggregationModel } from './aggregation-cases.js';
import { bothBackends, embeddedBackend, runCase } from './backend-matrix.js';

/** Few runs: each is a StreamsApp start on each backend. The DSL tests run the same property 40 times in the driver. */
const NUM_RUNS = 5;

describe('App > Matrix > aggregations > embedded log', function () {
  this.timeout(30_000);
  it('count and reduce through StreamsApp emit exactly the running model', async () => {
    const log = await embeddedBackend.open();
    try {
      await fc.assert(
        fc.asyncProperty(aggregationInputs, async (input) => {
          expect(await runCase(log, aggregationCase(input))).to.deep.equal(aggregationModel(input));
        }),
        { numRuns: NUM_RUNS },
      );
    } finally {
      await log.close();
    }
  });
});

describeIfKafka('App > Matrix > aggregations > Kafka', function () {
  this.timeout(60_000);
  const logs = bothBackends();

  it('count and reduce emit the same outputs on Kafka as on the embedded log, and both equal the running model', async () => {
    await fc.assert(
      fc.asyncProperty(aggregationInputs, async (input) => {
        const [onEmbedded, onKafka] = [await runCase(logs.embedded(), aggregationCase(input)), await runCase(logs.kafka(), aggregationCase(input))];
        expect(onKafka).to.deep.equal(onEmbedded);
        expect(onKafka).to.deep.equal(aggregationModel(input));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
