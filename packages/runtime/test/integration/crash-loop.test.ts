import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { tempDir } from '../helpers.js';
import { call, expectListedOnce, kill, startInstance, type Instance } from './instances.js';

const ROUNDS = 5;

/**
 * The embedded platform SIGKILLed again and again mid-ingest, restarted on its data directory each
 * time: every acknowledged message is listed exactly once at the end.
 */
describe('Runtime > SIGKILL loop while ingesting (embedded log)', function () {
  this.timeout(300_000);

  it(`survives ${ROUNDS} kills mid-ingest: nothing acknowledged lost or doubled`, async () => {
    const config = { dataDir: tempDir('crash-loop'), log: { backend: 'embedded' as const }, auth: { systemToken: `system-${randomBytes(12).toString('hex')}`, jwtSecret: randomBytes(24).toString('hex') } };
    const token = config.auth.systemToken;
    let instance: Instance = await startInstance(config);
    try {
      const created = await call(instance.url, 'sources.create', token, { id: 'loop-shop' });
      expect(created.status).to.be.oneOf([200, 201]);
      const sourceToken: string = created.body.token;
      expect((await call(instance.url, 'sources.channels.create', token, { source_id: 'loop-shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);
      const acknowledged = new Map<string, string>();
      let sequence = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        const target = acknowledged.size + 40;
        let stop = false;
        const writer = async (url: string) => {
          while (!stop) {
            const n = sequence++;
            const message = { source_message_id: `k-${n}`, source_conversation_id: `contact-${n % 4}`, source_channel_id: 'web', sent_at: 1_700_000_000_000 + n, content: { text: `loop ${n}` }, from_contact: true };
            const res = await call(url, 'sources.webhook', sourceToken, { messages: [message] }).catch(() => undefined);
            if (res === undefined) return; // killed mid-request: not acknowledged
            if (res.status === 200) acknowledged.set(res.body.messages[0].message_id, res.body.messages[0].conversation_id);
          }
        };
        const writers = [writer(instance.url), writer(instance.url), writer(instance.url)];
        while (acknowledged.size < target) await new Promise((resolve) => setTimeout(resolve, 10));
        await kill(instance);
        stop = true;
        await Promise.all(writers);
        instance = await startInstance(config);
      }
      await expectListedOnce(instance.url, token, acknowledged);
    } finally {
      await kill(instance);
    }
  });
});
