import kafkajs, { type PartitionAssigner } from 'kafkajs';

// kafkajs is CommonJS: its values are read off the default export.
const { AssignerProtocol } = kafkajs;

export const COPARTITIONED_ASSIGNER_NAME = 'ParleyCopartitionedAssigner';

/**
 * The group assignor of StreamsApp members: every topic's partition N goes to the same member.
 * A task reads partition N of each of its sub-topology's source topics (a join reads a
 * repartition topic and a table's topic side by side), so assigning topic-partitions one by one
 * (kafkajs' round robin) could split a task between members — the join then sees an empty table.
 * Partition numbers are dealt round robin to the members sorted by id; with one-partition topics
 * one member gets everything and the others stand by. Plain consumers of one topic lose nothing.
 */
export const copartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: COPARTITIONED_ASSIGNER_NAME,
  version: 0,
  async assign({ members, topics }) {
    const sorted = members.map(({ memberId }) => memberId).sort();
    const assignment = new Map<string, Record<string, number[]>>(sorted.map((id) => [id, {}]));
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const member = assignment.get(sorted[partitionId % sorted.length]!)!;
        (member[topic] ??= []).push(partitionId);
      }
    }
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topicPartitions, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: COPARTITIONED_ASSIGNER_NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
