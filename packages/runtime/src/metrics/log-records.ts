import type { Log } from '@parley/streams';

/**
 * Records stored per topic: end minus beginning offset, summed over its partitions (on Kafka,
 * compacted topics count the offsets between, not the records left). Topics that vanish while
 * being read are left out.
 */
export async function logRecordsByTopic(log: Log): Promise<Map<string, number>> {
  const records = new Map<string, number>();
  for (const topic of await log.listTopics()) {
    try {
      const { partitions } = await log.describeTopic(topic);
      let total = 0;
      for (let partition = 0; partition < partitions; partition += 1) {
        const tp = { topic, partition };
        const [beginning, end] = await Promise.all([log.beginningOffset(tp), log.endOffset(tp)]);
        total += Math.max(0, end - beginning);
      }
      records.set(topic, total);
    } catch (err) {
      if ((err as { code?: unknown })?.code !== 'STREAMS_TOPIC_NOT_FOUND') throw err;
    }
  }
  return records;
}
