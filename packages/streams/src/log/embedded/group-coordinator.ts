import type { TopicPartition } from '../types.js';

/** What the coordinator needs from a member of a consumer group. */
export interface GroupMember {
  readonly memberId: string;
  readonly topics: readonly string[];
  /** Lets the in-flight batch handler finish and stops fetching. */
  quiesce(): Promise<void>;
  /** Gives up the current assignment (calling the member's onRevoked). */
  revoke(): Promise<void>;
  /** Takes a new assignment (positions, then the member's onAssigned). */
  assign(partitions: TopicPartition[]): Promise<void>;
  resumeFetching(): void;
}

/**
 * In-process group membership for the embedded log, with Kafka's eager protocol: on every join or
 * leave all members of the group stop, give up their partitions, and receive a new range
 * assignment. Rebalances run one at a time.
 */
export class GroupCoordinator {
  readonly #groups = new Map<string, GroupMember[]>();
  readonly #partitionsOf: (topic: string) => number;
  #queue: Promise<void> = Promise.resolve();
  #nextMemberId = 0;

  /** @param partitionsOf partition count of a topic, 0 when it does not exist */
  constructor(partitionsOf: (topic: string) => number) {
    this.#partitionsOf = partitionsOf;
  }

  newMemberId(groupId: string): string {
    return `${groupId}-member-${String(this.#nextMemberId++).padStart(6, '0')}`;
  }

  join(groupId: string, member: GroupMember): Promise<void> {
    return this.#enqueue(async () => {
      this.#groups.set(groupId, [...(this.#groups.get(groupId) ?? []), member]);
      await this.#rebalance(groupId);
    });
  }

  /** Removes a member that has already given up its partitions, then rebalances the rest. */
  leave(groupId: string, member: GroupMember): Promise<void> {
    return this.#enqueue(async () => {
      const remaining = (this.#groups.get(groupId) ?? []).filter((m) => m !== member);
      if (remaining.length === 0) this.#groups.delete(groupId);
      else this.#groups.set(groupId, remaining);
      if (remaining.length > 0) await this.#rebalance(groupId);
    });
  }

  /** Topics were created or deleted: rebalance every group subscribed to one of them. */
  topicsChanged(topics: string[]): Promise<void> {
    return this.#enqueue(async () => {
      for (const [groupId, members] of this.#groups) {
        if (members.some((m) => m.topics.some((t) => topics.includes(t)))) await this.#rebalance(groupId);
      }
    });
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(step);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #rebalance(groupId: string): Promise<void> {
    const members = this.#groups.get(groupId) ?? [];
    await Promise.all(members.map((m) => m.quiesce()));
    for (const member of members) await member.revoke();
    const assignment = rangeAssign(members, this.#partitionsOf);
    for (const member of members) await member.assign(assignment.get(member) ?? []);
    for (const member of members) member.resumeFetching();
  }
}

/**
 * Kafka's RangeAssignor: per topic, members subscribed to it (sorted by id) get consecutive
 * ranges of partitions, the first ones one extra. Partition p of topics with equal partition
 * counts goes to the same member, which keeps co-partitioned topics together.
 */
export function rangeAssign(
  members: readonly GroupMember[],
  partitionsOf: (topic: string) => number,
): Map<GroupMember, TopicPartition[]> {
  const result = new Map<GroupMember, TopicPartition[]>(members.map((m) => [m, []]));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const subscribers = members.filter((m) => m.topics.includes(topic)).sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
    const count = partitionsOf(topic);
    const per = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    let next = 0;
    subscribers.forEach((member, i) => {
      const take = per + (i < extra ? 1 : 0);
      for (let p = next; p < next + take; p++) result.get(member)!.push({ topic, partition: p });
      next += take;
    });
  }
  return result;
}
