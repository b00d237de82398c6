/**
 * Kafka transactions for `Log.transaction` (exactly-once, EOS-v1 style).
 *
 * kafkajs sends consumer offsets with TxnOffsetCommit v0/v1, which carry no group generation
 * (no KIP-447 fencing): a zombie is fenced by its `transactionalId` only. Exactly-once therefore
 * needs one transactional id per input partition (e.g. `<app>-<topic>-<partition>`), so that
 * the member that takes a partition over fences the one that lost it.
 */
import kafkajs, { type Producer, type Transaction } from 'kafkajs';
import { StreamsError } from '../../errors.js';
import { assertTopicName } from '../abstract-log.js';
import type { LogTransaction, ProducerRecord, RecordMetadata, TopicPartitionOffset, TransactionOptions } from '../types.js';
import type { KafkaClient } from './kafka-client.js';
import { hasKafkaType, toStreamsError } from './kafka-errors.js';
import type { KafkaNamespace } from './kafka-namespace.js';
import { KAFKAJS_LIMITS, kafkajsSink, sendRecords } from './record-sender.js';

const { Partitioners } = kafkajs;

/** Kafka errors after which a transactional producer can never be used again. */
const FATAL = ['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'INVALID_PRODUCER_ID_MAPPING'];

/**
 * One transactional kafkajs producer per transactional id, reused by its successive transactions.
 * Transactional ids, topics and groups are given in the log's namespace and sent prefixed.
 */
export class KafkaTransactions {
  readonly #client: KafkaClient;
  readonly #names: KafkaNamespace;
  readonly #producers = new Map<string, Promise<Producer>>();

  constructor(client: KafkaClient, names: KafkaNamespace) {
    this.#client = client;
    this.#names = names;
  }

  async begin(options: TransactionOptions): Promise<LogTransaction> {
    const given = options?.transactionalId;
    if (typeof given !== 'string' || given.length === 0) throw new TypeError('transactionalId must be a non-empty string');
    const id = this.#names.transactionalId(given);
    if (options.fence === true) await this.#drop(id);
    const producer = await this.#producer(id);
    try {
      return new KafkaTransaction({ client: this.#client, names: this.#names, transaction: await producer.transaction(), onError: (err) => this.#failed(id, err) });
    } catch (err) {
      this.#failed(id, err);
      throw toStreamsError(err);
    }
  }

  async close(): Promise<void> {
    const producers = [...this.#producers.values()];
    this.#producers.clear();
    await Promise.all(producers.map(async (p) => (await p.catch(() => undefined))?.disconnect().catch(() => undefined)));
  }

  #producer(id: string): Promise<Producer> {
    let producer = this.#producers.get(id);
    if (!producer) {
      const options = this.#client.options;
      producer = (async () => {
        // Its own kafkajs client: a producer's disconnect closes the connections it runs on.
        const p = this.#client.kafka.producer({
          transactionalId: id,
          idempotent: true,
          maxInFlightRequests: 1,
          transactionTimeout: options.transactionTimeoutMs,
          retry: options.retry,
          createPartitioner: Partitioners.JavaCompatiblePartitioner,
          allowAutoTopicCreation: false,
        });
        await p.connect();
        return p;
      })();
      this.#producers.set(id, producer);
      producer.catch(() => this.#producers.delete(id));
    }
    return producer.catch((err) => {
      throw toStreamsError(err);
    });
  }

  /** Disconnects this log's producer for `id`, if any, so the next `begin` starts a new session. */
  async #drop(id: string): Promise<void> {
    const producer = this.#producers.get(id);
    this.#producers.delete(id);
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  }

  /** Drops a fenced or broken producer, so the next `begin` starts (and fences) afresh. */
  #failed(id: string, err: unknown): void {
    if (!FATAL.some((type) => hasKafkaType(err, type))) return;
    const producer = this.#producers.get(id);
    this.#producers.delete(id);
    void producer?.then((p) => p.disconnect()).catch(() => undefined);
  }
}

type TransactionState = 'open' | 'committed' | 'aborted';

interface KafkaTransactionParts {
  client: KafkaClient;
  names: KafkaNamespace;
  transaction: Transaction;
  /** Sees every failure (fenced producers are dropped). */
  onError: (err: unknown) => void;
}

class KafkaTransaction implements LogTransaction {
  readonly #client: KafkaClient;
  readonly #names: KafkaNamespace;
  readonly #transaction: Transaction;
  readonly #onError: (err: unknown) => void;
  #state: TransactionState = 'open';

  constructor(parts: KafkaTransactionParts) {
    this.#client = parts.client;
    this.#names = parts.names;
    this.#transaction = parts.transaction;
    this.#onError = parts.onError;
  }

  async append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]> {
    this.#assertOpen();
    assertTopicName(topic);
    if (!Array.isArray(records)) throw new TypeError('records must be an array');
    for (const r of records) {
      if (r === null || typeof r !== 'object') throw new TypeError('a record must be an object');
      if (r.key !== null && !Buffer.isBuffer(r.key)) throw new TypeError('record key must be a Buffer or null');
      if (r.value !== null && !Buffer.isBuffer(r.value)) throw new TypeError('record value must be a Buffer or null');
    }
    if (records.length === 0) return [];
    const wire = this.#names.topic(topic);
    return this.#names.localize(await this.#guard(() => sendRecords(this.#client, kafkajsSink(this.#transaction), wire, records, KAFKAJS_LIMITS)));
  }

  async sendOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    this.#assertOpen();
    if (typeof groupId !== 'string' || groupId.length === 0) throw new TypeError('groupId must be a non-empty string');
    for (const o of offsets) {
      assertTopicName(o?.topic);
      if (!Number.isInteger(o.partition) || o.partition < 0) throw new RangeError(`invalid partition ${o.partition}`);
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) throw new RangeError(`invalid offset ${o.offset}`);
    }
    if (offsets.length === 0) return;
    const topics = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const o of offsets) {
      const topic = this.#names.topic(o.topic);
      topics.set(topic, [...(topics.get(topic) ?? []), { partition: o.partition, offset: String(o.offset) }]);
    }
    await this.#guard(() =>
      this.#transaction.sendOffsets({ consumerGroupId: this.#names.group(groupId), topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) }),
    );
  }

  async commit(): Promise<void> {
    this.#assertOpen();
    await this.#guard(() => this.#transaction.commit());
    this.#state = 'committed';
  }

  async abort(): Promise<void> {
    this.#assertOpen();
    await this.#guard(() => this.#transaction.abort());
    this.#state = 'aborted';
  }

  #assertOpen(): void {
    if (this.#state !== 'open') throw new TypeError(`the transaction is already ${this.#state}`);
  }

  async #guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      this.#onError(err);
      throw this.#names.localError(err instanceof StreamsError ? err : toStreamsError(err));
    }
  }
}
