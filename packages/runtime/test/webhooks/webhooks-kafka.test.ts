import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import WebSocket from 'ws';
import { describeIfKafka, kafkaBackend } from '../helpers.js';
import { describeIfRedis, redisUrl } from './redis-test-helpers.js';
import { startReceiver, startWebhooksPlatform, testMessage, type Receiver, type WebhooksPlatform } from './webhooks-fixture.js';

describeIfKafka('Webhooks > Kafka log', () => {
  describeIfRedis('with the Redis queue (the default on Kafka)', function () {
    this.timeout(90_000);
    let platform: WebhooksPlatform | undefined;
    let receiver: Receiver;
    beforeEach(async () => {
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await platform?.stop();
      platform = undefined;
      await receiver.close();
    });

    it('delivers signed events in order per conversation, retrying failures, and the websocket resumes from a cursor', async () => {
      // No queue backend given: log.backend kafka picks Redis.
      platform = await startWebhooksPlatform(
        { retrySchedule: [0.05, 0.05], queue: { url: redisUrl(), keyPrefix: `test:${randomBytes(6).toString('hex')}:` } },
        { log: { ...kafkaBackend.freshLog(), sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 } },
      );
      const subscribed = await platform.post('webhooks.subscribe', { url: receiver.url, events: ['message.created'] });
      expect(subscribed.status, subscribed.text).to.equal(200);
      const secret: string = subscribed.json.signing_secret;
      const failedOnce = new Set<string>();
      receiver.answer(({ headers }) => {
        const id = String(headers['webhook-id']);
        if (failedOnce.has(id)) return 200;
        failedOnce.add(id);
        return 500;
      });
      const messages = Array.from({ length: 12 }, (_, i) => testMessage(`k${i % 3}`, i));
      await platform.appendMessages(messages);
      await receiver.until((r) => r.filter((x) => x.status === 200).length >= 12, 60_000);
      for (const r of receiver.delivered()) new StandardWebhook(secret).verify(r.body, r.headers as Record<string, string>);
      for (const contact of ['k0', 'k1', 'k2']) {
        const got = receiver.delivered().map((r) => r.json.payload.message.content.text).filter((t: string) => t.startsWith(`${contact} `));
        expect(got).to.deep.equal(messages.filter((m) => m.senderId === contact).map((m) => JSON.parse(m.content).text));
      }

      // The websocket from the beginning of the event log sees the same messages.
      const ws = new WebSocket(`${platform.runtime.url.replace('http', 'ws')}/ws.communication?cursor=-1&events=message.created`, { headers: { authorization: `Bearer ${platform.runtime.systemToken}` } });
      const texts: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`websocket got ${JSON.stringify(texts)}`)), 30_000);
        ws.on('message', (data) => {
          const frame = JSON.parse(data.toString());
          if (frame.type === 'event') texts.push(frame.event.payload.message.content.text);
          if (texts.length === 12) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      ws.terminate();
      expect(texts).to.deep.equal(messages.map((m) => JSON.parse(m.content).text));
    });
  });
});
