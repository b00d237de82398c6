import type {
  BatchHandler,
  ConsumerOptions,
  LogConsumer,
  TopicPartition,
  TopicPartitionOffset,
} from '../types.js';
import type { GroupCoordinator, GroupMember } from './group-coordinator.js';
import type { PartitionLog } from './partition-log.js';
import { Signal } from './signal.js';

/** What a consumer needs from the embedded log it belongs to. */
export interface ConsumerHost {
  readonly coordinator: GroupCoordinator;
  partitionLog(tp: TopicPartition): PartitionLog | undefined;
  committedOffset(groupId: string, tp: TopicPartition): number | undefined;
  commit(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  /** Registers for a wake-up whenever one of `topics` gets records; returns the unregister function. */
  watch(topics: readonly string[], signal: Signal): () => void;
}

const key = (tp: TopicPartition) => `${tp.topic}/${tp.partition}`;

/** A member of a consumer group of the embedded log; see `LogConsumer`. */
export class EmbeddedConsumer implements LogConsumer, GroupMember {
  readonly groupId: string;
  readonly memberId: string;
  readonly topics: readonly string[];
  readonly #host: ConsumerHost;
  readonly #options: ConsumerOptions & { maxBatchRecords: number };
  readonly #wake = new Signal();
  #assignment: TopicPartition[] = [];
  readonly #positions = new Map<string, number>();
  readonly #paused = new Set<string>();
  #handler: BatchHandler | undefined;
  #state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  #fetching = false;
  #inflight: Promise<unknown> = Promise.resolve();
  #loopDone: Promise<void> = Promise.resolve();
  #unwatch: () => void = () => undefined;

  constructor(host: ConsumerHost, options: ConsumerOptions & { maxBatchRecords: number }) {
    this.#host = host;
    this.#options = options;
    this.groupId = options.groupId;
    this.topics = [...options.topics];
    this.memberId = host.coordinator.newMemberId(options.groupId);
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.#state !== 'idle') throw new TypeError('a consumer can run only once');
    this.#handler = handler;
    this.#state = 'running';
    this.#unwatch = this.#host.watch(this.topics, this.#wake);
    this.#loopDone = this.#loop();
    await this.#host.coordinator.join(this.groupId, this);
  }

  assignment(): TopicPartition[] {
    return this.#assignment.map((tp) => ({ ...tp }));
  }

  seek(tp: TopicPartition, offset: number): void {
    if (!this.#owns(tp)) throw new RangeError(`partition ${key(tp)} is not assigned to this consumer`);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`invalid offset ${offset}`);
    this.#positions.set(key(tp), offset);
    this.#wake.notify();
  }

  pause(tps: TopicPartition[]): void {
    for (const tp of tps) this.#paused.add(key(tp));
  }

  resume(tps: TopicPartition[]): void {
    for (const tp of tps) this.#paused.delete(key(tp));
    this.#wake.notify();
  }

  commit(offsets: TopicPartitionOffset[]): Promise<void> {
    return this.#host.commit(this.groupId, offsets);
  }

  async stop(): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'stopping';
    await this.quiesce();
    await this.#safely(() => this.revoke());
    await this.#host.coordinator.leave(this.groupId, this);
    this.#finish();
    await this.#loopDone;
  }

  // --- GroupMember ---

  async quiesce(): Promise<void> {
    this.#fetching = false;
    await this.#inflight;
  }

  async revoke(): Promise<void> {
    const revoked = this.#assignment;
    this.#assignment = [];
    this.#positions.clear();
    if (revoked.length > 0) await this.#options.onRevoked?.(revoked);
  }

  async assign(partitions: TopicPartition[]): Promise<void> {
    if (this.#state !== 'running') return;
    this.#assignment = partitions;
    for (const tp of partitions) this.#positions.set(key(tp), this.#startOffset(tp));
    await this.#safely(async () => {
      if (partitions.length > 0) await this.#options.onAssigned?.(partitions);
    });
  }

  resumeFetching(): void {
    if (this.#state !== 'running') return;
    this.#fetching = true;
    this.#wake.notify();
  }

  // --- internals ---

  #startOffset(tp: TopicPartition): number {
    const committed = this.#host.committedOffset(this.groupId, tp);
    if (committed !== undefined) return committed;
    const partition = this.#host.partitionLog(tp);
    if (!partition) return 0;
    return this.#options.autoOffsetReset === 'latest' ? partition.endOffset : partition.beginningOffset;
  }

  #owns(tp: TopicPartition): boolean {
    return this.#assignment.some((a) => a.topic === tp.topic && a.partition === tp.partition);
  }

  async #loop(): Promise<void> {
    let cursor = 0;
    while (this.#state === 'running' || this.#state === 'stopping') {
      const delivered = this.#fetching ? await this.#deliverRound(cursor++) : false;
      if (!delivered && (this.#state === 'running' || this.#state === 'stopping')) await this.#wake.wait(1000);
      // A backlog is delivered round after round with only microtasks in between: let timers and
      // I/O (the HTTP server of the process) run between rounds, or they wait for the whole backlog.
      else if (delivered) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Delivers at most one batch per owned partition, starting at a rotating partition for fairness. */
  async #deliverRound(cursor: number): Promise<boolean> {
    const owned = this.#assignment.filter((tp) => !this.#paused.has(key(tp)));
    let delivered = false;
    for (let i = 0; i < owned.length; i++) {
      if (!this.#fetching) break;
      const tp = owned[(cursor + i) % owned.length]!;
      const partition = this.#host.partitionLog(tp);
      const position = this.#positions.get(key(tp));
      if (!partition || position === undefined || position >= partition.endOffset) continue;
      const records = partition.read(position, this.#options.maxBatchRecords);
      const next = records.length > 0 ? records[records.length - 1]!.offset + 1 : partition.endOffset;
      this.#positions.set(key(tp), next);
      if (records.length === 0) continue;
      const batch = { topic: tp.topic, partition: tp.partition, records, highWatermark: partition.endOffset };
      const run = Promise.resolve().then(() => this.#handler!(batch));
      this.#inflight = run.catch(() => undefined);
      try {
        await run;
      } catch (err) {
        this.#crash(err);
        return false;
      }
      delivered = true;
    }
    return delivered;
  }

  async #safely(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      this.#crash(err);
    }
  }

  /** A handler or callback threw: leave the group without another callback, then report. */
  #crash(err: unknown): void {
    if (this.#state === 'stopped') return;
    this.#finish();
    this.#assignment = [];
    void this.#host.coordinator.leave(this.groupId, this);
    if (this.#options.onError) this.#options.onError(err);
    else console.error(`[parley] consumer ${this.memberId} of group ${this.groupId} stopped:`, err);
  }

  #finish(): void {
    this.#state = 'stopped';
    this.#fetching = false;
    this.#unwatch();
    this.#wake.notify();
  }
}
