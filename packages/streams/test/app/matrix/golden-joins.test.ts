import { expect } from 'chai';
import { describeIfKafka } from '../../helpers/services.js';
import { embeddedBackend, kafkaBackend, runCase, type Backend } from './backend-matrix.js';
import { foreignKeyCase, streamStreamCase, streamTableCase, tableTableCase, type GoldenCase } from './golden-join-cases.js';

/**
 * The golden join tables (test/dsl/golden, streams-semantics.md §1.3) run through StreamsApp,
 * all rows appended before the start: the engine takes a task's records in timestamp order
 * across its input partitions, so it must output what the TopologyTestDriver does row by row.
 */
function goldenJoins(backend: Backend): void {
  const rows = <TKind extends string>(golden: GoldenCase<TKind>): void => {
    it(`${golden.matrixCase.name} joins (${golden.kinds.join(', ')}) output exactly the golden rows`, async () => {
      const out = await runCase(backend, golden.matrixCase);
      for (const kind of golden.kinds) expect(out[`out-${kind}`]!['k'] ?? [], kind).to.deep.equal(golden.expected(kind));
    });
  };
  rows(tableTableCase);
  rows(streamTableCase);
  rows(streamStreamCase);

  it('foreign-key joins (inner, left), fed row by row, output exactly the golden rows per key', async () => {
    const out = await runCase(backend, foreignKeyCase.matrixCase);
    for (const kind of foreignKeyCase.kinds) expect(out[`out-${kind}`], kind).to.deep.equal(foreignKeyCase.expected(kind));
  });
}

describe('App > Matrix > golden joins > embedded log', function () {
  this.timeout(30_000);
  goldenJoins(embeddedBackend);
});

describeIfKafka('App > Matrix > golden joins > Kafka', function () {
  this.timeout(60_000);
  goldenJoins(kafkaBackend);
});
