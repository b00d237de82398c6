import { expect } from 'chai';
import { describeIfKafka, eventually } from '../helpers.js';
import { ownRedis } from '../webhooks/redis-server-fixture.js';
import { startReceiver } from '../webhooks/webhooks-fixture.js';
import { call, kill, sharedConfig, startInstance, type Instance } from './instances.js';

describeIfKafka('Runtime > many instances on Kafka > Redis restart', function () {
  this.timeout(240_000);

  it('two instances delivering webhooks: Redis restarted mid-run (AOF on), every acknowledged message is delivered', async () => {
    const redis = await ownRedis();
    await redis.start();
    const receiver = await startReceiver();
    const base = sharedConfig();
    const config = { ...base, webhooks: { ...(base.webhooks as object), queue: { backend: 'redis' as const, url: redis.url } } };
    const token = (config.auth as { systemToken: string }).systemToken;
    const instances: Instance[] = [];
    try {
      for (let i = 0; i < 2; i += 1) instances.push(await startInstance(config));
      const [a, b] = instances as [Instance, Instance];
      const sourceToken: string = (await call(a.url, 'sources.create', token, { id: 'redis-shop' })).body.token;
      expect((await call(a.url, 'sources.channels.create', token, { source_id: 'redis-shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);
      expect((await call(b.url, 'webhooks.subscribe', token, { url: receiver.url, events: ['message.created'] })).status).to.equal(200);

      const acknowledged: string[] = [];
      const ingest = async (from: number, count: number) => {
        for (let n = from; n < from + count; n += 1) {
          const via = n % 2 === 0 ? a : b;
          const message = { source_message_id: `r-${n}`, source_conversation_id: `contact-${n % 3}`, source_channel_id: 'web', sent_at: 1_700_000_000_000 + n, content: { text: `redis ${n}` }, from_contact: true };
          const res = await call(via.url, 'sources.webhook', sourceToken, { messages: [message] });
          if (res.status === 200) acknowledged.push(res.body.messages[0].message_id);
        }
      };
      const delivered = () => new Set(receiver.delivered().map((r) => r.json.payload.message.id as string));
      await ingest(0, 10);
      await eventually(() => delivered().size >= 3, 60_000);
      await redis.stop();
      await ingest(10, 10);
      await redis.start();
      await ingest(20, 10);
      expect(acknowledged.length).to.equal(30);
      await receiver.until(() => acknowledged.every((id) => delivered().has(id)), 120_000);
    } finally {
      await Promise.all(instances.map(kill));
      await receiver.close();
      await redis.stop();
    }
  });
});
