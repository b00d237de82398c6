import { expect } from 'chai';
import type { Log } from '@parley/streams';
import { waitForLogProcessed } from '@parley/communication';
import type { Runtime } from '../../src/index.js';
import { publisherTopics } from '../../src/webhooks/webhook-events.js';
import { PUBLISHER_GROUP } from '../../src/webhooks/webhooks-topics.js';

/** `topic/partition` → end offset, for every partition of every topic of the log. */
export async function logEnds(log: Log): Promise<Record<string, number>> {
  const ends: Record<string, number> = {};
  for (const topic of (await log.listTopics()).sort()) {
    const { partitions } = await log.describeTopic(topic);
    for (let partition = 0; partition < partitions; partition += 1) ends[`${topic}/${partition}`] = await log.endOffset({ topic, partition });
  }
  return ends;
}

/**
 * Whether the webhooks publisher has committed every record of the model topics it reads. It is
 * a plain consumer group, not a streams application, and appends to `webhooks.events` after the
 * communication application wrote: a snapshot taken before it caught up changes later on its own.
 */
async function publisherCaughtUp(log: Log, communicationAppId: string): Promise<boolean> {
  // No offsets committed for its group at all: this platform runs no publisher (webhooks off),
  // since a publisher commits the end of every topic it reads on its first start.
  if ((await log.committedOffsets(PUBLISHER_GROUP)).length === 0) return true;
  const existing = new Set(await log.listTopics());
  for (const topic of Object.values(publisherTopics(communicationAppId)).filter((t) => existing.has(t))) {
    const committed = new Map((await log.committedOffsets(PUBLISHER_GROUP, topic)).map((c) => [c.partition, c.offset]));
    const { partitions } = await log.describeTopic(topic);
    for (let partition = 0; partition < partitions; partition += 1) {
      if ((committed.get(partition) ?? 0) < (await log.endOffset({ topic, partition }))) return false;
    }
  }
  return true;
}

/**
 * The log's end offsets once every writer that reacts to earlier requests has caught up: every
 * streams application of `runtime` and the webhooks publisher. Repeated until a round changes
 * nothing, since each may write what the other reads.
 */
export async function settledLogEnds(runtime: Runtime): Promise<Record<string, number>> {
  // Detached applications (a reprocess shadow an accepted `reprocess.start` began) write too.
  const apps = [...runtime.apps.values(), ...runtime.detachedApps.values()].map((r) => r.app);
  const communication = runtime.apps.get('communication')?.app.applicationId ?? 'communication';
  const deadline = Date.now() + 10_000;
  let ends = await logEnds(runtime.log);
  for (;;) {
    expect(await waitForLogProcessed(apps, Math.max(0, deadline - Date.now())), 'every app processed the log').to.equal(true);
    while (!(await publisherCaughtUp(runtime.log, communication))) {
      expect(Date.now(), 'the webhooks publisher caught up').to.be.below(deadline);
      await new Promise((r) => setTimeout(r, 10));
    }
    const next = await logEnds(runtime.log);
    if (JSON.stringify(next) === JSON.stringify(ends)) return next;
    ends = next;
  }
}
