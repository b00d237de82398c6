import { expect } from 'chai';
import { COMMUNICATION_TOPICS } from '@parley/schemas';
import { EmbeddedLog } from '@parley/streams/embedded';
import { createLogger } from '../../src/index.js';
import type { AttemptRecord } from '../../src/webhooks/delivery-records.js';
import { RECENT_ATTEMPTS, WebhookViews } from '../../src/webhooks/webhook-views.js';
import { WEBHOOKS_NEW_TOPICS, WEBHOOKS_TOPICS } from '../../src/webhooks/webhooks-topics.js';
import { tempDir } from '../helpers.js';

function attempt(webhookId: string, n: number): AttemptRecord {
  return { webhook_id: webhookId, event_id: `evt_${n}`, attempt: 1, outcome: 'delivered', status: 200, latency_ms: 1, error: null, at: new Date(n).toISOString(), next_attempt_at: null };
}

describe('Webhooks > recent attempts', () => {
  let log: EmbeddedLog;
  let views: WebhookViews;

  beforeEach(async () => {
    log = new EmbeddedLog({ dir: tempDir('views-attempts') });
    await log.open();
    await log.createTopics([...WEBHOOKS_NEW_TOPICS, { name: COMMUNICATION_TOPICS.webhooks.name, partitions: 1 }], { ifNotExists: true });
    views = new WebhookViews({ log, logger: createLogger({ level: 'error', write: () => undefined }) });
  });

  afterEach(async () => {
    await views.stop();
    await log.close();
  });

  it('writes only the newest 200 per webhook of the attempts recorded together, and lists them newest first', async () => {
    const records = Array.from({ length: 500 }, (_, i) => attempt(i % 2 === 0 ? 'a' : 'b', i)).concat(Array.from({ length: 3 }, (_, i) => attempt('c', 1000 + i)));
    await views.recordAttempts(records);
    // What would never be listed is not written: 200 of a, 200 of b, the 3 of c.
    expect(await log.endOffset({ topic: WEBHOOKS_TOPICS.attempts, partition: 0 })).to.equal(2 * RECENT_ATTEMPTS + 3);
    await views.start();
    const expected = (webhookId: string) => records.filter((r) => r.webhook_id === webhookId).slice(-RECENT_ATTEMPTS).reverse();
    for (const id of ['a', 'b', 'c']) expect(views.attempts(id)).to.deep.equal(expected(id));
    // More, one at a time: still the newest 200.
    for (let i = 0; i < 250; i++) await views.recordAttempts([attempt('c', 2000 + i)]);
    expect(await views.allApplied(10_000)).to.equal(true);
    const c = views.attempts('c');
    expect(c).to.have.length(RECENT_ATTEMPTS);
    expect(c[0]!.event_id).to.equal('evt_2249');
    expect(c.at(-1)!.event_id).to.equal('evt_2050');
  });
});
