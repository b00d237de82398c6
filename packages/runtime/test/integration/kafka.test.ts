import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { copyTopology, describeIfKafka, eventually, produce, startRuntime } from '../helpers.js';

describeIfKafka('Runtime > Kafka backend', function () {
  this.timeout(120_000);

  it('runs a topology over a real broker and serves its topics and status', async () => {
    const suffix = randomBytes(4).toString('hex');
    const name = `k${suffix}`;
    const rt = await startRuntime(
      { log: { backend: 'kafka', brokers: process.env.KAFKA_BROKERS!.split(',') } },
      { topologies: [{ ...copyTopology(name), applicationId: `test-runtime-${suffix}` }] },
    );
    try {
      await produce(rt.runtime.log, `${name}.input`, ['a', 'b']);
      await eventually(async () => (await rt.post('apps.status', { name })).json.data[0]?.processed_records === 2, 60_000);
      const [config, topics] = await Promise.all([rt.post('client.config', {}), rt.post('topics.list', { name_prefix: `${name}.` })]);
      expect(config.json.features.log_backend).to.equal('kafka');
      expect(topics.json.data.map((t: { name: string; partitions: Array<{ end_offset: number }> }) => [t.name, t.partitions[0]!.end_offset])).to.deep.equal([
        [`${name}.input`, 2],
        [`${name}.output`, 2],
      ]);
    } finally {
      await rt.stop();
    }
  });
});
