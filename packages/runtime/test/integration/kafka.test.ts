import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { copyTopology, describeIfKafka, eventually, kafkaBackend, kafkaBrokers, produce, readValues, startRuntime, type TestRuntime } from '../helpers.js';

describeIfKafka('Runtime > Kafka backend', function () {
  this.timeout(120_000);

  it('runs a topology over a real broker and serves its topics and status', async () => {
    const suffix = randomBytes(4).toString('hex');
    const name = `k${suffix}`;
    const rt = await startRuntime(
      { log: { backend: 'kafka', brokers: kafkaBrokers() } },
      { topologies: [{ ...copyTopology(name), applicationId: `test-runtime-${suffix}` }] },
    );
    try {
      await produce(rt.runtime.log, `${name}.input`, ['a', 'b']);
      // processed_records counts a record before its output is appended: wait for both.
      const outputEnd = async () => (await rt.runtime.log.endOffset({ topic: `${name}.output`, partition: 0 })) === 2;
      await eventually(async () => (await rt.post('apps.status', { name })).json.data[0]?.processed_records === 2 && (await outputEnd()), 60_000);
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

  it('keeps two runtimes with the same topic names and application id apart by log.namespace', async () => {
    // Fixed names, as the platform's are: only the namespaces differ.
    const topology = () => ({ ...copyTopology('shared'), applicationId: 'test-shared' });
    const [one, two] = [kafkaBackend.freshLog(), kafkaBackend.freshLog()];
    const runtimes: TestRuntime[] = [];
    try {
      for (const log of [one, two]) runtimes.push(await startRuntime({ log }, { topologies: [topology()] }));
      const [first, second] = runtimes as [TestRuntime, TestRuntime];
      await produce(first.runtime.log, 'shared.input', ['a', 'b']);
      await produce(second.runtime.log, 'shared.input', ['x', 'y', 'z']);
      const processed = async (rt: TestRuntime) => (await rt.post('apps.status', { name: 'shared' })).json.data[0]?.processed_records;
      const outputs = async (rt: TestRuntime) => (await readValues(rt.runtime.log, 'shared.output')).join();
      await eventually(async () => (await outputs(first)) === 'a,b' && (await outputs(second)) === 'x,y,z', 60_000);
      // Each application processed its own input only.
      expect([await processed(first), await processed(second)]).to.deep.equal([2, 3]);
      // The API names topics without the prefix; on the broker they carry it.
      const listed = await first.post('topics.list', { name_prefix: 'shared.' });
      expect(listed.json.data.map((t: { name: string }) => t.name)).to.deep.equal(['shared.input', 'shared.output']);
      const { KafkaLog } = await import('@parley/streams/kafka');
      const wire = new KafkaLog({ brokers: kafkaBrokers() });
      await wire.open();
      try {
        expect(await wire.listTopics()).to.include.members([`${one.namespace}.shared.input`, `${two.namespace}.shared.output`]);
        // The application commits every 50 ms, under its group id in the namespace.
        const committed = () => wire.committedOffsets(`${one.namespace}.test-shared`, `${one.namespace}.shared.input`);
        await eventually(async () => (await committed())[0]?.offset === 2, 10_000);
        expect(await wire.committedOffsets('test-shared')).to.deep.equal([]);
      } finally {
        await wire.close();
      }
    } finally {
      await Promise.all(runtimes.map((rt) => rt.stop()));
    }
  });
});
