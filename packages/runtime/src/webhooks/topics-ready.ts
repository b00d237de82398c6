import type { Log } from '@parley/streams';

/**
 * Waits until every partition of `topics` answers for its offsets. On Kafka a topic just created
 * has no partition leader for a moment ("not the leader for that topic-partition"); reads then
 * fail although the topic exists (a retriable error). Rethrows any other error at once, and the
 * last retriable one after `timeoutMs`.
 */
export async function waitForTopics(log: Log, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      for (const topic of topics) {
        const { partitions } = await log.describeTopic(topic);
        for (let partition = 0; partition < partitions; partition++) {
          await log.beginningOffset({ topic, partition });
          await log.endOffset({ topic, partition });
        }
      }
      return;
    } catch (err) {
      if ((err as { retriable?: unknown }).retriable !== true || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100)); // metadata propagates within a few hundred ms
    }
  }
}
