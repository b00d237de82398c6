import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeIfKafka, eventually, tempDir } from '../helpers.js';
import { call, expectListedOnce, kill, sharedConfig, startInstance, type Instance } from './instances.js';

const run = promisify(execFile);
const kafkaScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../scripts/kafka.sh');

/** A broker of this test's own (scripts/kafka.sh in a private services directory), to stop and restart. */
async function kafkaSh(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string[]> {
  const { stdout } = await run('bash', [kafkaScript, ...args], { env });
  const line = stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
  return line === undefined ? [] : line.slice('KAFKA_BROKERS='.length).split(',');
}

describeIfKafka('Runtime > many instances on Kafka > broker restart', function () {
  this.timeout(600_000);

  it('two instances under ingest recover by themselves after a broker restart; nothing acknowledged lost or doubled', async () => {
    const env = { ...process.env, PARLEY_SERVICES_DIR: tempDir('restart-kafka') };
    const brokers = await kafkaSh(env, 'start');
    const base = sharedConfig();
    const config = { ...base, log: { ...(base.log as object), brokers } };
    const token = (config.auth as { systemToken: string }).systemToken;
    const instances: Instance[] = [];
    try {
      for (let i = 0; i < 2; i += 1) instances.push(await startInstance(config));
      const created = await call(instances[0]!.url, 'sources.create', token, { id: 'restart-shop' });
      const sourceToken: string = created.body.token;
      expect((await call(instances[0]!.url, 'sources.channels.create', token, { source_id: 'restart-shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);

      const acknowledged = new Map<string, string>();
      let refused = 0;
      let sequence = 0;
      let stop = false;
      const writer = async (instance: Instance) => {
        while (!stop) {
          const n = sequence++;
          const message = { source_message_id: `b-${n}`, source_conversation_id: `contact-${n % 4}`, source_channel_id: 'web', sent_at: 1_700_000_000_000 + n, content: { text: `restart ${n}` }, from_contact: true };
          const res = await call(instance.url, 'sources.webhook', sourceToken, { messages: [message] });
          if (res.status === 200) acknowledged.set(res.body.messages[0].message_id, res.body.messages[0].conversation_id);
          else {
            refused += 1;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      };
      const writers = instances.map(writer);
      await eventually(() => acknowledged.size >= 60, 60_000);
      await kafkaSh(env, 'stop', '--keep-data');
      // A request in flight when the broker went away answers only once the producer's retries give
      // up, which took over 60 s in a fresh-clone CI run: the bound is generous, the outcome is not timed.
      await eventually(() => refused > 0, 180_000);
      await kafkaSh(env, 'start');
      const before = acknowledged.size;
      await eventually(() => acknowledged.size >= before + 60, 120_000);
      stop = true;
      await Promise.all(writers);

      for (const instance of instances) await eventually(async () => (await fetch(`${instance.url}/health`)).status === 200, 120_000);
      await expectListedOnce(instances[1]!.url, token, acknowledged);
    } finally {
      await Promise.all(instances.map(kill));
      await kafkaSh(env, 'stop');
    }
  });
});
