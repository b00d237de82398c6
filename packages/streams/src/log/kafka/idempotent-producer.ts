/**
 * KafkaLog's own idempotent producer: InitProducerId once, then Produce requests whose record
 * batches carry the producer id and per-partition sequence numbers, so the broker drops a batch
 * that a retry sends twice (Kafka's `enable.idempotence`, acks=all).
 *
 * Why not kafkajs's producer: its send path groups messages by partition by copying an array per
 * message and encodes each record through several intermediate buffers; the engine's outputs
 * spent more CPU there than in processing. Batches here are encoded once (record-batch.ts) and
 * re-sent unchanged by retries. Transactions still go through kafkajs (kafka-transaction.ts).
 *
 * Ordering and duplicates. Sends run one at a time, each until it succeeded or gave up, retries
 * included: a partition never has two batches in flight, so a retry can never be overtaken by a
 * later batch (kafkajs's producer gives its lock up between retries, and a later send can then
 * take the failed batch's sequence numbers). A send that gives up leaves the outcome of its
 * batches unknown, so the producer id is dropped: the next send starts a new producer session
 * instead of building on sequence numbers the broker may or may not have seen.
 */
import { isStreamsError } from '../../errors.js';
import type { ProducerRecord } from '../types.js';
import type { KafkaClient } from './kafka-client.js';
import { createRetry, type Broker, type Retrier } from './kafkajs-internals.js';
import { produce, type PartitionBatch } from './produce-request.js';
import { encodeRecordBatch, nextSequence } from './record-batch.js';

interface ProducerIdentity {
  producerId: string;
  producerEpoch: number;
}

interface InitProducerIdBroker {
  initProducerId(request: { transactionTimeout: number }): Promise<ProducerIdentity>;
}

interface KafkaLikeError {
  name?: string;
  type?: string;
  retriable?: boolean;
  host?: string;
  port?: number;
}

/** Errors after which the partition leaders must be looked up again (kafkajs's `staleMetadata`). */
const STALE_METADATA = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);
const CONNECTION_ERRORS = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSMetadataNotLoaded']);

const sequenceKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class IdempotentProducer {
  readonly #client: KafkaClient;
  readonly #retrier: Retrier;
  #identity: Promise<ProducerIdentity> | undefined;
  /** Next sequence number per partition, for the current identity. */
  #sequences = new Map<string, number>();
  #tail: Promise<unknown> = Promise.resolve();

  constructor(client: KafkaClient) {
    this.#client = client;
    this.#retrier = createRetry(client.options.retry);
  }

  /** Obtains the producer id (bounded by the retry options). */
  async connect(): Promise<void> {
    await this.#ensureIdentity();
  }

  /**
   * Appends each partition's records as one record batch, in one request per partition leader;
   * answers the offset of each partition's first record. The batches must fit the broker's
   * `max.message.bytes` (record-sender.ts sizes them).
   */
  send(topic: string, batches: ReadonlyMap<number, readonly ProducerRecord[]>): Promise<Map<number, number>> {
    const run = this.#tail.then(() => this.#send(topic, batches));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #send(topic: string, batches: ReadonlyMap<number, readonly ProducerRecord[]>): Promise<Map<number, number>> {
    const identity = await this.#ensureIdentity();
    const now = Date.now();
    const pending = new Map<number, Buffer>();
    for (const [partition, records] of batches) {
      const baseSequence = this.#sequences.get(sequenceKey(topic, partition)) ?? 0;
      pending.set(partition, encodeRecordBatch(records, { ...identity, baseSequence, transactional: false }, now));
    }
    const offsets = new Map<number, number>();
    try {
      await this.#retrier(async (bail) => {
        try {
          await this.#attempt(topic, pending, offsets);
        } catch (err) {
          await this.#beforeRetry(err, bail);
        }
      });
    } catch (err) {
      this.#reset();
      throw err;
    }
    for (const [partition, records] of batches) {
      const key = sequenceKey(topic, partition);
      this.#sequences.set(key, nextSequence(this.#sequences.get(key) ?? 0, records.length));
    }
    return offsets;
  }

  /** Sends what is still pending to the partitions' leaders; answered partitions leave `pending`. */
  async #attempt(topic: string, pending: Map<number, Buffer>, offsets: Map<number, number>): Promise<void> {
    const byLeader = new Map<Broker, PartitionBatch[]>();
    for (const [partition, batch] of pending) {
      const leader = await this.#client.leader({ topic, partition });
      let list = byLeader.get(leader);
      if (list === undefined) byLeader.set(leader, (list = []));
      list.push({ partition, batch });
    }
    const timeoutMs = this.#client.options.requestTimeoutMs;
    const results = await Promise.allSettled([...byLeader].map(([broker, list]) => produce(broker, topic, list, timeoutMs)));
    let failure: unknown;
    for (const result of results) {
      if (result.status === 'rejected') {
        failure ??= result.reason;
        continue;
      }
      for (const answer of result.value) {
        if ('error' in answer) failure ??= answer.error;
        else if (pending.delete(answer.partition)) offsets.set(answer.partition, answer.baseOffset);
      }
    }
    if (failure !== undefined) throw failure;
    if (pending.size > 0) throw Object.assign(new Error(`the broker did not answer for ${topic}/${[...pending.keys()].join(',')}`), { retriable: true });
  }

  /**
   * kafkajs's producer's handling of a failed attempt: refresh what may be stale and throw to
   * retry (the same batches, so the broker drops what already landed), or `bail` to give up.
   */
  async #beforeRetry(err: unknown, bail: (err: Error) => void): Promise<void> {
    if (isStreamsError(err)) {
      if (err.retriable) throw err;
      return bail(err);
    }
    const e = err as KafkaLikeError;
    const cluster = this.#client.cluster;
    if (e.name === 'KafkaJSConnectionClosedError' && e.host !== undefined && e.port !== undefined) cluster.removeBroker({ host: e.host, port: e.port });
    if (!cluster.isConnected()) {
      await cluster.connect();
      await this.#client.refresh();
      throw err;
    }
    if ((e.type !== undefined && STALE_METADATA.has(e.type)) || (e.name !== undefined && CONNECTION_ERRORS.has(e.name))) {
      await this.#client.refresh().catch(() => undefined);
      throw err;
    }
    if (e.retriable === true) throw err;
    return bail(err as Error);
  }

  #ensureIdentity(): Promise<ProducerIdentity> {
    this.#identity ??= this.#initProducerId();
    const identity = this.#identity;
    identity.catch(() => {
      if (this.#identity === identity) this.#identity = undefined;
    });
    return identity;
  }

  async #initProducerId(): Promise<ProducerIdentity> {
    const cluster = this.#client.cluster;
    const identity = await this.#retrier(async () => {
      await cluster.refreshMetadataIfNecessary();
      // A producer id without a transactional id can come from any broker.
      const broker = (await cluster.findControllerBroker()) as unknown as InitProducerIdBroker;
      return broker.initProducerId({ transactionTimeout: this.#client.options.transactionTimeoutMs });
    });
    this.#sequences = new Map();
    return { producerId: String(identity.producerId), producerEpoch: identity.producerEpoch };
  }

  /** Forgets the producer id and its sequence numbers; the next send starts a new session. */
  #reset(): void {
    this.#identity = undefined;
    this.#sequences = new Map();
  }
}
