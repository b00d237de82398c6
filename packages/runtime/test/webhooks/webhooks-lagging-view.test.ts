import { expect } from 'chai';
import { COMMUNICATION_TOPICS, type Webhook } from '@parley/schemas';
import { EmbeddedLog } from '@parley/streams/embedded';
import { createLogger } from '../../src/logger.js';
import { DeliveryWorker } from '../../src/webhooks/delivery-worker.js';
import { HttpSender } from '../../src/webhooks/http-sender.js';
import { LogDeliveryQueue } from '../../src/webhooks/queue/embedded/log-delivery-queue.js';
import { WebhookViews } from '../../src/webhooks/webhook-views.js';
import { WEBHOOKS_NEW_TOPICS } from '../../src/webhooks/webhooks-topics.js';
import { tempDir } from '../helpers.js';
import { startReceiver, type Receiver } from './webhooks-fixture.js';

/**
 * Two instances' views of one log: a webhook subscribed through one, its jobs delivered by a
 * worker reading the other, which has not applied the subscription yet (as on a busy instance of
 * a multi-instance deployment, where any worker may claim any job).
 */
describe('Webhooks > a worker whose view of the subscriptions lags', function () {
  this.timeout(30_000);
  let log: EmbeddedLog;
  let receiver: Receiver;
  const logger = createLogger({ level: 'error', write: () => undefined });
  const stops: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    log = new EmbeddedLog({ dir: tempDir('lagging-view') });
    await log.open();
    await log.createTopics([...WEBHOOKS_NEW_TOPICS, { name: COMMUNICATION_TOPICS.webhooks.name, partitions: 1 }], { ifNotExists: true });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await receiver.close();
    await log.close();
  });

  function webhook(id: string): Webhook {
    return { id, name: null, endpoint: receiver.url, events: [], headers: null, signKey: null, status: 'SUBSCRIBED', subscribedAt: Date.now(), previousSignKey: null, previousSignKeyUntil: null, disabledReason: null };
  }

  async function startWorker(views: WebhookViews): Promise<LogDeliveryQueue> {
    const queue = new LogDeliveryQueue({ log });
    await queue.open();
    const sender = new HttpSender({ timeoutMs: 5000, allowPrivateNetworks: true });
    const worker = new DeliveryWorker({ queue, views, sender, config: { concurrency: 4, retrySchedule: [] }, logger });
    worker.start();
    stops.push(async () => {
      await worker.stop();
      await queue.close();
      sender.close();
    });
    return queue;
  }

  it('delivers a job for a webhook its view has not seen yet, once the view catches up, instead of skipping it', async () => {
    const subscriber = new WebhookViews({ log, logger });
    await subscriber.start();
    stops.push(() => subscriber.stop());
    await subscriber.putWebhook(webhook('w-late'));
    // The worker's view starts following the log only after its worker has claimed the jobs.
    const lagging = new WebhookViews({ log, logger });
    const queue = await startWorker(lagging);
    const ids = ['e1', 'e2', 'e3'];
    await queue.enqueue(ids.map((eventId) => ({ eventId, webhookId: 'w-late', lane: 'w-late conversation', body: JSON.stringify({ type: 'message.created', payload: { eventId } }), origin: 'event' as const })));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received, 'nothing is sent before the view knows the webhook').to.have.length(0);
    await lagging.start();
    stops.push(() => lagging.stop());
    await receiver.until((r) => r.length === ids.length);
    expect(receiver.delivered().map((r) => r.json.payload.eventId)).to.deep.equal(ids);
    expect(lagging.attempts('w-late').filter((a) => a.outcome === 'skipped')).to.deep.equal([]);
  });

  it('still skips the jobs of a webhook unsubscribed on another instance, once it has caught up', async () => {
    const subscriber = new WebhookViews({ log, logger });
    await subscriber.start();
    stops.push(() => subscriber.stop());
    await subscriber.putWebhook({ ...webhook('w-gone'), status: 'UNSUBSCRIBED' });
    const views = new WebhookViews({ log, logger });
    await views.start();
    stops.push(() => views.stop());
    const queue = await startWorker(views);
    await queue.enqueue([{ eventId: 'e1', webhookId: 'w-gone', lane: 'w-gone c', body: '{}', origin: 'event' }]);
    // The attempt is recorded through the log; the views apply it.
    const deadline = Date.now() + 10_000;
    while (views.attempts('w-gone').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(views.attempts('w-gone').map((a) => a.outcome)).to.deep.equal(['skipped']);
    expect(receiver.received).to.have.length(0);
  });
});
