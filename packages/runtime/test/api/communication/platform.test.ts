import { expect } from 'chai';
import { createRuntime } from '../../../src/index.js';
import { facebookChannel, facebookConversation, facebookMessage } from '@parley/communication/testing';
import { copyTopology, forEachBackend, tempDir } from '../../helpers.js';
import { startPlatform } from './platform-fixture.js';

forEachBackend('Api > Communication > Platform', function (backend) {
  this.timeout(30_000);

  it('attaches the read model before serving: after a restart the first request lists what the stores hold', async () => {
    const first = await startPlatform({}, { dataDir: tempDir('communication-restart'), log: backend.freshLog() });
    await first.seed({ channels: [facebookChannel()], messages: [facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: Date.now() - 1000 })] });
    await first.stop();
    const lines: string[] = [];
    const second = await startPlatform({ logging: { level: 'info', write: (line) => lines.push(line) } }, { dataDir: first.dataDir, log: first.logConfig });
    try {
      const res = await second.post('conversations.list', {});
      expect(res.status, res.text).to.equal(200);
      expect(res.json.data.map((c: { id: string }) => c.id)).to.deep.equal([facebookConversation('psid-ada')]);
      const loaded = lines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'runtime.app.global_stores_loaded' && entry.topology === 'communication-replica');
      // On Kafka each instance keeps a replica of the read model: after a clean stop it resumes from its checkpoint.
      expect(loaded.map((entry) => [entry.topology, entry.resumedFromCheckpoint])).to.deep.equal(backend.name === 'kafka' ? [['communication-replica', true]] : []);
      const config = (await second.post('client.config', {})).json;
      expect(config.topologies).to.include('communication');
      expect(config.features.log_backend).to.equal(backend.name);
    } finally {
      await second.stop();
    }
  });

  it("fails the start with RUNTIME_TOPOLOGY_FAILED when a topology's onStarted hook rejects", async () => {
    const runtime = createRuntime({ dataDir: tempDir('on-started'), log: backend.freshLog(), http: { port: 0 } }, { logging: { level: 'silent' } });
    runtime.registerTopology({
      ...copyTopology('hooked'),
      onStarted: () => Promise.reject(new Error('cannot attach')),
    });
    const err = await runtime.start().then(() => undefined, (e: unknown) => e);
    expect(err).to.have.property('code', 'RUNTIME_TOPOLOGY_FAILED');
    expect(runtime.state).to.equal('stopped');
  });
});
