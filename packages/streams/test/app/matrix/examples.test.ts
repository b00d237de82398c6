import { expect } from 'chai';
import { describeIfKafka } from '../../helpers/services.js';
import { embeddedBackend, kafkaBackend, runCase, type MatrixOutput } from './backend-matrix.js';
import { enrichmentCase, exampleTopology, wordCountCase } from './example-cases.js';

const enrichmentFile = exampleTopology('enrichment');
const wordCountFile = exampleTopology('word-count');

/** Each enriched order once, with the customer it names when that customer exists. */
function checkEnrichment(out: MatrixOutput, topic: string, orders: number): void {
  const perKey = out[topic]!;
  expect(Object.keys(perKey)).to.have.length(orders);
  for (const [orderId, values] of Object.entries(perKey)) {
    expect(values, orderId).to.have.length(1);
    const order = JSON.parse(values[0]!) as { orderId: string; customerId: string; customer: { name: string } | null };
    expect(order.orderId).to.equal(orderId);
    expect(order.customer === null, orderId).to.equal(order.customerId === 'c5');
  }
}

describe('App > Matrix > examples > embedded log', function () {
  this.timeout(30_000);
  if (wordCountFile === undefined) it('runs examples/word-count (not written yet)');
  else {
    it('the word-count example counts every word of the input, through a repartition topic', async () => {
      const wordCount = await wordCountCase(wordCountFile);
      expect((await runCase(embeddedBackend, wordCount))[wordCount.outputs[0]!]).to.deep.equal(wordCount.model);
    });
  }

  if (enrichmentFile === undefined) it('runs examples/enrichment (not written yet)');
  else {
    it('the enrichment example joins every order with its customer', async () => {
      const enrichment = await enrichmentCase(enrichmentFile);
      checkEnrichment(await runCase(embeddedBackend, enrichment), enrichment.outputs[0]!, enrichment.orders);
    });
  }
});

describeIfKafka('App > Matrix > examples > Kafka', function () {
  this.timeout(60_000);
  if (wordCountFile === undefined) it('runs examples/word-count on Kafka (not written yet)');
  else {
    it('the word-count example outputs on Kafka what it outputs on the embedded log, per key in order', async () => {
      const wordCount = await wordCountCase(wordCountFile);
      const onKafka = await runCase(kafkaBackend, wordCount);
      expect(onKafka).to.deep.equal(await runCase(embeddedBackend, wordCount));
      expect(onKafka[wordCount.outputs[0]!]).to.deep.equal(wordCount.model);
    });
  }

  if (enrichmentFile === undefined) it('runs examples/enrichment on Kafka (not written yet)');
  else {
    it('the enrichment example outputs on Kafka what it outputs on the embedded log, per key in order', async () => {
      const enrichment = await enrichmentCase(enrichmentFile);
      const onKafka = await runCase(kafkaBackend, enrichment);
      expect(onKafka).to.deep.equal(await runCase(embeddedBackend, enrichment));
      checkEnrichment(onKafka, enrichment.outputs[0]!, enrichment.orders);
    });
  }
});
