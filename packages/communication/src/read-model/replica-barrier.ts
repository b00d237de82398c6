import type { Log, RecordMetadata, TopicPartition, TopicPartitionOffset } from '@parley/streams';

/** What the barrier needs of the replica: a StreamsApp of global stores only. */
export interface ReplicaProgress {
  readonly state: string;
  globalPositions(): TopicPartitionOffset[];
  refreshGlobalStores(): Promise<void>;
}

export interface ReplicaBarrierOptions {
  log: Pick<Log, 'committedOffsets' | 'endOffset' | 'describeTopic'>;
  /** The writer's consumer group (its application id). */
  writerGroupId: string;
  /** The topics the writer reads that API writes go to. */
  inputTopics: readonly string[];
  /** The writer's repartition topics: the hops between its sub-topologies. */
  repartitionTopics: readonly string[];
  replica: ReplicaProgress;
  /** How often committed offsets are polled, ms. Default 10. */
  pollMs?: number;
}

/** Repartition hops to follow; the communication topology has at most two in a row. */
const MAX_HOPS = 4;

const key = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Read-your-writes across runtime instances (docs/scaling.md). The writer (the communication
 * topology, its partitions shared by the instances' consumer group) may run anywhere; each
 * instance reads its replica (global stores over the writer's changelogs). Both waits rest on
 * what the log says, not on which instance did the work:
 *
 * - `afterWrite(offsets)`: the writer group's committed offsets pass the written records (at
 *   least once, a commit comes after the records it caused are appended: changelogs and
 *   repartition records), then pass what the repartition topics held then (hop by hop), then the
 *   replica here applies the changelogs up to their end.
 * - `beforeRead()`: the replica here applies the changelogs up to their end offsets now. A write
 *   acknowledged by any instance had its changelog records appended before it answered, so a
 *   read that starts after that answer sees it, on every instance.
 *
 * Each resolves true when done, false at the deadline (the caller answers anyway: the read may be
 * stale). Never rejects for a slow or stopped writer.
 */
export class ReplicaBarrier {
  readonly #o: ReplicaBarrierOptions;
  readonly #partitions = new Map<string, number>();

  constructor(options: ReplicaBarrierOptions) {
    this.#o = options;
  }

  async afterWrite(offsets: readonly RecordMetadata[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const inputs = new Set(this.#o.inputTopics);
    const wanted = new Map<string, TopicPartitionOffset>();
    for (const { topic, partition, offset } of offsets) {
      if (!inputs.has(topic)) continue;
      const target = Math.max(wanted.get(key({ topic, partition }))?.offset ?? 0, offset + 1);
      wanted.set(key({ topic, partition }), { topic, partition, offset: target });
    }
    return this.#settle([...wanted.values()], deadline);
  }

  /** Everything appended to the writer's inputs until now processed, and applied here. */
  async afterEverything(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    try {
      return await this.#settle(await this.#ends(this.#o.inputTopics), deadline);
    } catch {
      return false;
    }
  }

  async beforeRead(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    try {
      return await this.#replicaAt(deadline);
    } catch {
      return false;
    }
  }

  async #settle(targets: readonly TopicPartitionOffset[], deadline: number): Promise<boolean> {
    try {
      if (targets.length > 0) {
        if (!(await this.#committed(targets, deadline))) return false;
        for (let hop = 0; hop < MAX_HOPS; hop += 1) {
          const ends = await this.#ends(this.#o.repartitionTopics);
          const committed = await this.#committedMap();
          const behind = ends.filter((e) => (committed.get(key(e)) ?? 0) < e.offset);
          if (behind.length === 0) break;
          if (!(await this.#committed(behind, deadline))) return false;
        }
      }
      return await this.#replicaAt(deadline);
    } catch {
      return false;
    }
  }

  /** Waits until the writer group's committed offsets reach `targets`. */
  async #committed(targets: readonly TopicPartitionOffset[], deadline: number): Promise<boolean> {
    for (;;) {
      const committed = await this.#committedMap();
      if (targets.every((t) => (committed.get(key(t)) ?? 0) >= t.offset)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(this.#o.pollMs ?? 10);
    }
  }

  /** Brings the replica to the end offsets of its topics as they are now. */
  async #replicaAt(deadline: number): Promise<boolean> {
    const { replica } = this.#o;
    const positions = replica.globalPositions();
    const ends = await Promise.all(positions.map((p) => this.#o.log.endOffset(p)));
    const targets = new Map(positions.map((p, i) => [key(p), ends[i]!]));
    for (;;) {
      if (replica.state !== 'running') return false;
      if (replica.globalPositions().every((p) => p.offset >= targets.get(key(p))!)) return true;
      if (Date.now() >= deadline) return false;
      await replica.refreshGlobalStores();
    }
  }

  async #committedMap(): Promise<Map<string, number>> {
    const committed = await this.#o.log.committedOffsets(this.#o.writerGroupId);
    return new Map(committed.map((c) => [key(c), c.offset]));
  }

  async #ends(topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    const tps: TopicPartition[] = [];
    for (const topic of topics) {
      let count = this.#partitions.get(topic);
      if (count === undefined) {
        count = (await this.#o.log.describeTopic(topic)).partitions;
        this.#partitions.set(topic, count);
      }
      for (let partition = 0; partition < count; partition += 1) tps.push({ topic, partition });
    }
    const ends = await Promise.all(tps.map((tp) => this.#o.log.endOffset(tp)));
    return tps.map((tp, i) => ({ ...tp, offset: ends[i]! }));
  }
}
