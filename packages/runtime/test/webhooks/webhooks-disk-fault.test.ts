import { expect } from 'chai';
import { FaultyFs } from '@parley/streams/testing';
import { startReceiver, startWebhooksPlatform, testMessage, type Receiver, type WebhooksPlatform } from './webhooks-fixture.js';

/**
 * The event publisher on a failing disk: its append to `webhooks.events` fails, it stops, and it
 * starts again by itself once the disk works, so no event of a stored message is left unsent.
 */
describe('Webhooks > a disk fault under the event publisher (embedded log)', function () {
  this.timeout(60_000);
  let platform: WebhooksPlatform | undefined;
  let receiver: Receiver;

  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
    await receiver?.close();
  });

  it('publishes the events of messages stored while its appends failed, once the disk works again', async () => {
    receiver = await startReceiver();
    const faults = new FaultyFs();
    platform = await startWebhooksPlatform({}, { embeddedLogFs: faults });
    const subscribed = await platform.post('webhooks.subscribe', { url: receiver.url, events: ['message.created'] });
    expect(subscribed.status, subscribed.text).to.equal(200);
    await platform.appendMessages([testMessage('alice', 1)]);
    await receiver.until((r) => r.length >= 1);

    // Only the event log fails: the messages are stored, the publisher cannot log their events.
    let failedAppends = 0;
    faults.plan = (call, _index, file) => {
      if (call !== 'write' || !file.includes('webhooks.events')) return undefined;
      failedAppends++;
      return { code: 'ENOSPC', partialBytes: 0 };
    };
    await platform.appendMessages([testMessage('alice', 2), testMessage('bob', 3)]);
    const deadline = Date.now() + 20_000;
    while (failedAppends === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(failedAppends, 'the publisher met the fault').to.be.greaterThan(0);
    expect(platform.lines.some((line) => line.includes('webhooks.publisher.failed'))).to.equal(true);

    faults.plan = undefined;
    await receiver.until((r) => new Set(r.map((x) => x.json?.payload?.message?.content?.text)).size >= 3, 30_000);
    const texts = new Set(receiver.received.map((x) => x.json?.payload?.message?.content?.text));
    expect([...texts].sort()).to.deep.equal(['alice #1', 'alice #2', 'bob #3']);
  });
});
