import { expect } from 'chai';
import type { Log } from '@parley/streams';
import { waitForLogProcessed } from '@parley/communication';
import type { Runtime } from '../../src/index.js';

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
 * The log's end offsets once every streams application of `runtime` has processed everything
 * in it (so nothing is still being written in reaction to earlier requests).
 */
export async function settledLogEnds(runtime: Runtime): Promise<Record<string, number>> {
  // Detached applications (a reprocess shadow an accepted `reprocess.start` began) write too.
  const apps = [...runtime.apps.values(), ...runtime.detachedApps.values()].map((r) => r.app);
  expect(await waitForLogProcessed(apps, 10_000), 'every app processed the log').to.equal(true);
  return logEnds(runtime.log);
}
