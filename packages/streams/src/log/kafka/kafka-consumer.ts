/**
 * A LogConsumer over a kafkajs consumer (eachBatch, no auto-commit).
 *
 * Rebalance callbacks. kafkajs uses the eager protocol (every rebalance revokes everything)
 * and has no revoke callback; it only reports a finished join (GROUP_JOIN) and does not wait
 * for listeners. This class makes the contract hold as follows:
 *  - `onRevoked(old)` runs after the last batch handler of the old generation has returned and
 *    before `onAssigned(new)`; no batch of the new generation is delivered before both return.
 *  - When the rebalance is noticed by the heartbeat this class sends after each delivered batch
 *    (the usual case while records flow), `onRevoked` runs *before* the member rejoins, so
 *    offsets committed in it are committed by the old generation, as in Kafka's Java client.
 *    When kafkajs notices it elsewhere (an idle member's heartbeat, a failed fetch), `onRevoked`
 *    runs right after the rejoin: the partitions may already belong to another member, and a
 *    commit made in it can land after the new owner read the committed offsets (records are
 *    then processed twice, never lost).
 *  - `onAssigned(new)` runs once the start positions of the new partitions are known (committed
 *    offset, else `autoOffsetReset`), before the first batch of them; a `seek` in it wins.
 *  - `stop()` waits for the running handler, calls `onRevoked` while still a member (commits
 *    work), then leaves the group.
 *  - `run()` resolves after the first join's `onAssigned` has returned (kafkajs's own `run`
 *    resolves after the join, before our positions and callbacks), or, when that first
 *    rebalance failed, after `onError` was called.
 *
 * Names: this class's API, state and callbacks use the log's namespace names; only what goes
 * to kafkajs (group id, subscription, seeks, pauses, commits) and comes from it (assignments,
 * batches) is translated.
 */
import kafkajs, { type Consumer, type EachBatchPayload, type IMemberAssignment } from 'kafkajs';
import type { BatchHandler, ConsumerOptions, LogConsumer, LogRecord, TopicPartition, TopicPartitionOffset } from '../types.js';
import { assertTopicName } from '../abstract-log.js';
import { topicPartitionKey as key } from './group-offsets.js';
import { copartitionedAssigner } from './copartitioned-assigner.js';
import { toStreamsError } from './kafka-errors.js';
import { kafkaConfig, type ResolvedKafkaLogOptions } from './kafka-log-options.js';
import type { KafkaNamespace } from './kafka-namespace.js';
import { toLogRecord } from './kafka-record.js';

const { Kafka, PartitionAssigners } = kafkajs;

/** What a consumer needs from its KafkaLog. */
export interface KafkaConsumerHost {
  readonly options: ResolvedKafkaLogOptions;
  readonly names: KafkaNamespace;
  /** Start offsets of `tps` for `groupId`: the committed offset, else the reset policy. */
  startOffsets(groupId: string, tps: TopicPartition[], reset: 'earliest' | 'latest'): Promise<Map<string, number>>;
  /** Commits outside the group's generation (used when this member is not running). */
  commitOutsideGroup(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  closed(consumer: KafkaConsumer): void;
}

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** The error types kafkajs treats as "rejoin the group" (its `isRebalancing`). */
const REBALANCING = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION']);

export class KafkaConsumer implements LogConsumer {
  readonly groupId: string;
  readonly #host: KafkaConsumerHost;
  readonly #options: ConsumerOptions & { maxBatchRecords: number };
  #state: State = 'idle';
  #consumer: Consumer | undefined;
  #handler: BatchHandler | undefined;
  #owned: TopicPartition[] = [];
  readonly #paused = new Set<string>();
  /** The chain of rebalance transitions; deliveries wait for it. */
  #transition: Promise<void> = Promise.resolve();
  /** The delivery in progress, if any. */
  #delivering: Promise<void> = Promise.resolve();
  #startError: Error | undefined;
  #stopped: Promise<void> | undefined;

  constructor(host: KafkaConsumerHost, options: ConsumerOptions & { maxBatchRecords: number }) {
    this.#host = host;
    this.#options = options;
    this.groupId = options.groupId;
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.#state !== 'idle') throw new TypeError('a consumer can run only once');
    if (typeof handler !== 'function') throw new TypeError('run needs a batch handler');
    this.#handler = handler;
    this.#state = 'starting';
    const consumer = this.#createConsumer();
    this.#consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.#options.topics.map((t) => this.#host.names.topic(t)), fromBeginning: this.#options.autoOffsetReset !== 'latest' });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.#eachBatch(payload),
      });
      // kafkajs reports a failed first join through its crash event, not by rejecting.
      if (this.#startError) throw this.#startError;
    } catch (err) {
      this.#state = 'stopped';
      await consumer.stop().catch(() => undefined);
      await consumer.disconnect().catch(() => undefined);
      this.#host.closed(this);
      throw toStreamsError(err, this.#options.topics.length === 1 ? { topic: this.#options.topics[0]! } : {});
    }
    if (this.#state !== 'starting') {
      // stop() ran while we were joining, before kafkajs had anything to stop: stop it now.
      await consumer.stop().catch(() => undefined);
      await consumer.disconnect().catch(() => undefined);
      return;
    }
    this.#state = 'running';
    // The Log contract: run() resolves once the first assignment was handled (onAssigned
    // returned). When handling it failed, the member is stopping: resolve once onError has heard.
    await this.#transition;
    await this.#stopped;
  }

  assignment(): TopicPartition[] {
    return this.#owned.map((tp) => ({ ...tp }));
  }

  seek(tp: TopicPartition, offset: number): void {
    if (!this.#owns(tp)) throw new RangeError(`partition ${tp?.topic}/${tp?.partition} is not assigned to this consumer`);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`invalid offset ${offset}`);
    this.#consumer!.seek({ topic: this.#host.names.topic(tp.topic), partition: tp.partition, offset: String(offset) });
  }

  pause(tps: TopicPartition[]): void {
    for (const tp of tps) this.#paused.add(key(tp));
    this.#applyPauses(tps, 'pause');
  }

  resume(tps: TopicPartition[]): void {
    for (const tp of tps) this.#paused.delete(key(tp));
    this.#applyPauses(tps, 'resume');
  }

  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    for (const o of offsets) {
      assertTopicName(o?.topic);
      if (!Number.isInteger(o.partition) || o.partition < 0) throw new RangeError(`invalid partition ${o.partition}`);
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) throw new RangeError(`invalid offset ${o.offset}`);
    }
    if (offsets.length === 0) return;
    if (!this.isMember()) return this.#host.commitOutsideGroup(this.groupId, offsets);
    try {
      await this.#consumer!.commitOffsets(offsets.map((o) => ({ topic: this.#host.names.topic(o.topic), partition: o.partition, offset: String(o.offset) })));
    } catch (err) {
      throw toStreamsError(err);
    }
  }

  async stop(): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      this.#host.closed(this);
      return;
    }
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  /** True while this member is in its group and can commit with its generation. */
  isMember(): boolean {
    return (this.#state === 'running' || this.#state === 'stopping') && this.#consumer !== undefined;
  }

  async #stop(): Promise<void> {
    if (this.#state === 'running' || this.#state === 'starting') {
      this.#state = 'stopping';
      await this.#transition;
      await this.#delivering;
      const owned = this.#owned;
      this.#owned = [];
      if (owned.length > 0) {
        try {
          await this.#options.onRevoked?.(owned);
        } catch (err) {
          this.#report(err);
        }
      }
    }
    this.#state = 'stopped';
    await this.#consumer?.stop().catch(() => undefined);
    await this.#consumer?.disconnect().catch(() => undefined);
    this.#host.closed(this);
  }

  #createConsumer(): Consumer {
    const options = this.#host.options;
    // A kafkajs client per consumer: consumers of one client share a cache of committed
    // offsets per group, which each rejoin clears under the other members' feet.
    const consumer = new Kafka(kafkaConfig(options)).consumer({
      groupId: this.#host.names.group(this.groupId),
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxWaitTimeInMs: options.consumerMaxWaitMs,
      maxBytesPerPartition: options.fetchMaxBytesPerPartition,
      readUncommitted: options.isolationLevel === 'read_uncommitted',
      allowAutoTopicCreation: false,
      // Keeps each task's partitions on one member; round robin stays for groups mid-upgrade.
      partitionAssigners: [copartitionedAssigner, PartitionAssigners.roundRobin],
      // After the first join kafkajs may restart itself on retriable errors (a new join, so a
      // new generation for our callbacks); before it, or for other errors, we stop.
      retry: { ...options.retry, restartOnFailure: async () => this.#state === 'running' },
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.#onJoin(event.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (event) => this.#onCrash(event.payload.error, event.payload.restart));
    return consumer;
  }

  /** kafkajs's GROUP_JOIN listener: runs synchronously inside its join, before it fetches again. */
  #onJoin(memberAssignment: IMemberAssignment): void {
    if (this.#state === 'stopped') {
      // A crash that raced stop() had kafkajs schedule a restart that stop() could not cancel:
      // this member came back to life. Stop it again, or it would hold partitions (heartbeating)
      // that no handler processes.
      const zombie = this.#consumer;
      void (async () => {
        await zombie?.stop().catch(() => undefined);
        await zombie?.disconnect().catch(() => undefined);
      })();
      return;
    }
    const next: TopicPartition[] = Object.entries(memberAssignment)
      .flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic: this.#host.names.localTopic(topic), partition })))
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    // Pauses are ours; a kafkajs restart forgets them.
    this.#applyPauses(next.filter((tp) => this.#paused.has(key(tp))), 'pause');
    this.#transition = this.#transition.then(() => this.#rebalance(next)).catch((err) => this.#crash(err));
  }

  async #rebalance(next: TopicPartition[]): Promise<void> {
    await this.#delivering;
    if (!this.#active()) return;
    const old = this.#owned;
    this.#owned = [];
    if (old.length > 0) await this.#options.onRevoked?.(old);
    if (!this.#active() || next.length === 0) return;
    const starts = await this.#host.startOffsets(this.groupId, next, this.#options.autoOffsetReset ?? 'earliest');
    if (!this.#active()) return;
    // Pin every position now: kafkajs resolves 'latest' lazily, which would skip records
    // appended between this join and its first fetch.
    for (const tp of next) {
      const offset = starts.get(key(tp));
      if (offset !== undefined) this.#consumer!.seek({ topic: this.#host.names.topic(tp.topic), partition: tp.partition, offset: String(offset) });
    }
    this.#owned = next;
    await this.#options.onAssigned?.(next.map((tp) => ({ ...tp })));
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const delivery = this.#deliver(payload);
    this.#delivering = delivery.catch(() => undefined);
    await delivery;
  }

  async #deliver(payload: EachBatchPayload): Promise<void> {
    await this.#transition;
    const { batch } = payload;
    const tp = { topic: this.#host.names.localTopic(batch.topic), partition: batch.partition };
    const records: LogRecord[] = batch.messages.map((m) => toLogRecord(tp.topic, batch.partition, m));
    const size = this.#options.maxBatchRecords;
    for (let i = 0; i < records.length; i += size) {
      // A seek, pause, stop or revocation since the fetch makes the rest of it stale: leave
      // its offsets unresolved so kafkajs fetches from the right place next.
      if (this.#state !== 'running' || payload.isStale() || !this.#owns(tp) || this.#paused.has(key(tp))) return;
      const chunk = records.slice(i, i + size);
      try {
        await this.#handler!({ topic: tp.topic, partition: tp.partition, records: chunk, highWatermark: Number(batch.highWatermark) });
      } catch (err) {
        this.#crash(err);
        return;
      }
      if (this.#state !== 'running') return;
      if (!payload.isStale()) payload.resolveOffset(String(chunk[chunk.length - 1]!.offset));
      await this.#heartbeat(payload);
    }
  }

  /** Heartbeats between batches; on a rebalance, revokes before kafkajs rejoins (see the file comment). */
  async #heartbeat(payload: EachBatchPayload): Promise<void> {
    try {
      await payload.heartbeat();
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type !== undefined && REBALANCING.has(type) && this.#owned.length > 0) {
        const old = this.#owned;
        this.#owned = [];
        try {
          await this.#options.onRevoked?.(old);
        } catch (callbackError) {
          this.#crash(callbackError);
          return;
        }
      }
      throw err;
    }
  }

  #onCrash(error: Error, restart: boolean): void {
    if (this.#state === 'starting') {
      this.#startError = toStreamsError(error);
      return;
    }
    if (!restart) this.#crash(toStreamsError(error));
  }

  /** A handler, a callback or kafkajs failed: leave the group without further callbacks, then report. */
  #crash(err: unknown): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#owned = [];
    // Not awaited: called from inside a delivery, which kafkajs's stop waits for.
    this.#stopped = (async () => {
      await this.#consumer?.stop().catch(() => undefined);
      await this.#consumer?.disconnect().catch(() => undefined);
      this.#host.closed(this);
      this.#report(err);
    })();
  }

  #report(err: unknown): void {
    if (this.#options.onError) this.#options.onError(err);
    else console.error(`[parley] consumer of group ${this.groupId} stopped:`, err);
  }

  #active(): boolean {
    return this.#state === 'running' || this.#state === 'starting';
  }

  #owns(tp: TopicPartition): boolean {
    return this.#owned.some((o) => o.topic === tp?.topic && o.partition === tp.partition);
  }

  #applyPauses(tps: TopicPartition[], action: 'pause' | 'resume'): void {
    if (!this.#consumer || tps.length === 0) return;
    try {
      this.#consumer[action](tps.map((tp) => ({ topic: this.#host.names.topic(tp.topic), partitions: [tp.partition] })));
    } catch {
      // Not running yet (or between kafkajs restarts): applied again at the next join.
    }
  }
}
