/**
 * The delivery queue contract (src/webhooks/queue/delivery-queue.ts), run on every backend.
 * `fresh()` gives a factory of queue objects over one new, empty store: several objects from
 * one factory see the same jobs, as a restarted process does.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { DeliveryJob, DeliveryQueue, QueuedJob } from '../../src/webhooks/queue/delivery-queue.js';

export interface QueueFixture {
  /** A new queue object over the fixture's store (not opened). */
  queue(): DeliveryQueue;
  dispose(): Promise<void>;
}

function job(n: number, lane = `lane-${n % 3}`): DeliveryJob {
  return { eventId: `evt_${n}`, webhookId: 'wh-1', lane, body: JSON.stringify({ n, text: 'ünïcödé ✓' }), origin: 'event' };
}

/** Claims until `count` jobs came back (or a claim comes back empty). */
async function claimAll(queue: DeliveryQueue, count: number, waitMs = 50): Promise<QueuedJob[]> {
  const claimed: QueuedJob[] = [];
  while (claimed.length < count) {
    const batch = await queue.claim(count - claimed.length, waitMs);
    if (batch.length === 0) break;
    claimed.push(...batch);
  }
  return claimed;
}

export function deliveryQueueConformance(fresh: () => Promise<QueueFixture>): void {
  let fixture: QueueFixture;
  const opened: DeliveryQueue[] = [];
  async function open(): Promise<DeliveryQueue> {
    const q = fixture.queue();
    await q.open();
    opened.push(q);
    return q;
  }
  beforeEach(async () => {
    fixture = await fresh();
  });
  afterEach(async () => {
    for (const q of opened.splice(0)) await q.close();
    await fixture.dispose();
  });

  it('hands out enqueued jobs once each, in enqueue order, with every field intact', async () => {
    const q = await open();
    const jobs = Array.from({ length: 25 }, (_, i) => job(i));
    await q.enqueue(jobs.slice(0, 10));
    await q.enqueue(jobs.slice(10));
    const claimed = await claimAll(q, 25);
    expect(claimed.map(({ eventId, webhookId, lane, body, origin }) => ({ eventId, webhookId, lane, body, origin }))).to.deep.equal(jobs);
    expect(claimed.every((j) => j.attempts === 0 && j.notBefore === 0)).to.equal(true);
    expect(new Set(claimed.map((j) => j.ref)).size).to.equal(25);
    expect(await q.claim(10, 30)).to.deep.equal([]);
  });

  it('honours max per claim', async () => {
    const q = await open();
    await q.enqueue([job(1), job(2), job(3)]);
    expect((await q.claim(2, 50)).map((j) => j.eventId)).to.deep.equal(['evt_1', 'evt_2']);
    expect((await q.claim(2, 50)).map((j) => j.eventId)).to.deep.equal(['evt_3']);
  });

  it('a waiting claim returns a job enqueued while it waits', async () => {
    const q = await open();
    const waiting = q.claim(5, 5000);
    await q.enqueue([job(7)]);
    expect((await waiting).map((j) => j.eventId)).to.deep.equal(['evt_7']);
  });

  it('hands out again after a restart every job not completed, in order, with its rescheduled state', async () => {
    const first = await open();
    await first.enqueue([job(1), job(2), job(3), job(4)]);
    const [a, b, c, d] = await claimAll(first, 4);
    await first.complete(b!);
    await first.reschedule(c!, 3, 1_234_567);
    await first.complete(d!);
    expect(a!.eventId).to.equal('evt_1');
    await first.close();

    const second = await open();
    const again = await claimAll(second, 2);
    expect(again.map((j) => [j.eventId, j.attempts, j.notBefore])).to.deep.equal([
      ['evt_1', 0, 0],
      ['evt_3', 3, 1_234_567],
    ]);
    await second.enqueue([job(5)]);
    expect((await claimAll(second, 1)).map((j) => j.eventId)).to.deep.equal(['evt_5']);
  });

  it('never hands out a completed job again, after any number of restarts', async () => {
    let q = await open();
    await q.enqueue([job(1), job(2)]);
    for (const j of await claimAll(q, 2)) await q.complete(j);
    await q.close();
    q = await open();
    expect(await q.claim(5, 30)).to.deep.equal([]);
    await q.close();
    q = await open();
    await q.enqueue([job(3)]);
    expect((await claimAll(q, 3)).map((j) => j.eventId)).to.deep.equal(['evt_3']);
  });

  it('close() ends a waiting claim with no jobs', async () => {
    const q = fixture.queue();
    await q.open();
    const waiting = q.claim(5, 10_000);
    await q.close();
    expect(await waiting).to.deep.equal([]);
  });

  it('property: after any enqueues, completions and restarts, the jobs left are those not completed, in order', async function () {
    this.timeout(60_000);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ count: fc.integer({ min: 1, max: 6 }), complete: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), restart: fc.boolean() }), { minLength: 1, maxLength: 5 }),
        async (rounds) => {
          const fx = await fresh();
          let q = fx.queue();
          await q.open();
          let next = 0;
          const expectedLeft: string[] = [];
          try {
            for (const round of rounds) {
              const jobs = Array.from({ length: round.count }, () => job(next++));
              await q.enqueue(jobs);
              // Jobs left from earlier rounds were handed out by this object already: only the new ones come.
              const claimed = await claimAll(q, round.count);
              expect(claimed.map((j) => j.eventId)).to.deep.equal(jobs.map((j) => j.eventId));
              for (const [i, j] of claimed.entries()) {
                if (round.complete[i]) await q.complete(j);
                else expectedLeft.push(j.eventId);
              }
              if (round.restart) {
                await q.close();
                q = fx.queue();
                await q.open();
                const left = await claimAll(q, expectedLeft.length);
                expect(left.map((j) => j.eventId)).to.deep.equal(expectedLeft);
                expect(await q.claim(10, 20)).to.deep.equal([]);
              }
            }
          } finally {
            await q.close();
            await fx.dispose();
          }
        },
      ),
      { numRuns: 15 },
    );
  });
}
