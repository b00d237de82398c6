import { isStreamsError, StreamsError, TopicError } from '../errors.js';
import type { Log } from '../log/types.js';
import type { TopologyPlan } from '../processor/internals/topology-plan.js';

export interface TopicLayout {
  /** Partition count of every topic the application reads or writes with a fixed name. */
  partitionCounts: Map<string, number>;
  /** Tasks per sub-topology: the largest partition count among its source topics. */
  tasksPerSubtopology: Map<number, number>;
}

/**
 * Checks the topics the topology reads, creates its internal topics, and works out the
 * partition counts: a repartition topic gets the partition count of the sub-topology that writes
 * it (unless the topology fixed one), a changelog topic one partition per task.
 */
export async function prepareTopics(log: Log, plan: TopologyPlan): Promise<TopicLayout> {
  const repartition = new Map(plan.repartitionTopics.map((t) => [t.name, t]));
  const counts = new Map<string, number>();
  const externalTopics = new Set<string>();
  for (const s of [...plan.subtopologies, ...plan.globalStores]) {
    for (const t of s.sourceTopics) if (!repartition.has(t)) externalTopics.add(t);
    for (const t of s.sinkTopics) if (!repartition.has(t)) externalTopics.add(t);
  }
  for (const topic of externalTopics) counts.set(topic, await partitionsOf(log, topic));

  // A repartition topic co-partitioned with input topics takes their partition count (Kafka's
  // CopartitionedTopicsEnforcer), so a join after a key change, or a foreign-key join's internal
  // topics, work whatever the upstream partition counts.
  const copartitionedCount = (topic: string): number | undefined => {
    const external = plan.copartitionGroups.filter((g) => g.includes(topic)).flat().filter((t) => !repartition.has(t));
    return external.length === 0 ? undefined : Math.max(...external.map((t) => counts.get(t)!));
  };
  const tasks = new Map<number, number>();
  // Repartition topics can feed each other; resolve counts until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of plan.subtopologies) {
      const known = s.sourceTopics.map((t) => counts.get(t));
      if (known.some((c) => c === undefined) || tasks.has(s.id)) continue;
      tasks.set(s.id, Math.max(...(known as number[])));
      changed = true;
    }
    for (const t of plan.repartitionTopics) {
      if (counts.has(t.name)) continue;
      const writers = t.writtenBy.map((id) => tasks.get(id));
      const count =
        t.partitions ??
        copartitionedCount(t.name) ??
        (writers.length > 0 && writers.every((w) => w !== undefined) ? Math.max(...(writers as number[])) : undefined);
      if (count === undefined) continue;
      counts.set(t.name, count);
      changed = true;
    }
  }
  for (const s of plan.subtopologies) {
    if (!tasks.has(s.id)) throw new StreamsError('STREAMS_TOPOLOGY_INCOMPATIBLE', `cannot work out the partition count of sub-topology ${s.id}`);
  }

  for (const group of plan.copartitionGroups) {
    const distinct = new Set(group.map((t) => counts.get(t)));
    if (distinct.size > 1) {
      const detail = group.map((t) => `${t} (${counts.get(t)})`).join(', ');
      throw new StreamsError('STREAMS_COPARTITION_MISMATCH', `topics joined or aggregated together must have the same partition count: ${detail}`);
    }
  }

  const internal = [
    ...plan.repartitionTopics.map((t) => ({ name: t.name, partitions: counts.get(t.name)!, config: { cleanupPolicy: 'delete' as const } })),
    ...plan.subtopologies.flatMap((s) =>
      s.stores.flatMap((st) =>
        st.changelogTopic === null ? [] : [{ name: st.changelogTopic, partitions: tasks.get(s.id)!, config: { cleanupPolicy: 'compact' as const } }],
      ),
    ),
  ];
  await log.createTopics(internal, { ifNotExists: true });
  for (const topic of internal) {
    const actual = await partitionsOf(log, topic.name);
    if (actual !== topic.partitions) {
      throw new StreamsError(
        'STREAMS_TOPOLOGY_INCOMPATIBLE',
        `internal topic ${topic.name} has ${actual} partitions but the topology needs ${topic.partitions}; reset the application to recreate it`,
      );
    }
    counts.set(topic.name, topic.partitions);
  }
  return { partitionCounts: counts, tasksPerSubtopology: tasks };
}

async function partitionsOf(log: Log, topic: string): Promise<number> {
  try {
    return (await log.describeTopic(topic)).partitions;
  } catch (err) {
    if (isStreamsError(err, 'STREAMS_TOPIC_NOT_FOUND')) {
      throw new TopicError('STREAMS_TOPIC_NOT_FOUND', `topic ${topic}, used by the topology, does not exist: create it first`, { topic }, { cause: err });
    }
    throw err;
  }
}
