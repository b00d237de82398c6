/**
 * Producer-side batching (Kafka's `linger.ms`): appends to one topic made by concurrent callers
 * within one turn of the event loop (or `lingerMs`) go to the log as one `append` call, so 32
 * webhook requests in flight cost one log write (one produce request on Kafka) instead of 32.
 * Every caller still gets its own records' metadata, in its own order, and only once the batch
 * is in the log; a failed batch rejects every caller in it (so a record the log refuses, e.g.
 * one without a key on a compacted topic, fails the others of its batch too: validate first).
 */
import type { Log, ProducerRecord, RecordMetadata } from './types.js';

export interface AppendBatcherOptions {
  /** How long the first record of a batch may wait for others, in ms. Default 0: the next turn of the event loop. */
  lingerMs?: number;
  /** A batch reaching this many records is sent at once. Default 1000. */
  maxRecords?: number;
}

interface Waiter {
  start: number;
  count: number;
  resolve(metadata: RecordMetadata[]): void;
  reject(err: unknown): void;
}

interface PendingBatch {
  records: ProducerRecord[];
  waiters: Waiter[];
  /** Cancels the scheduled send (when the batch fills up first). */
  cancel(): void;
}

export class AppendBatcher {
  readonly #log: Pick<Log, 'append'>;
  readonly #lingerMs: number;
  readonly #maxRecords: number;
  readonly #pending = new Map<string, PendingBatch>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(log: Pick<Log, 'append'>, options: AppendBatcherOptions = {}) {
    const { lingerMs = 0, maxRecords = 1000 } = options;
    if (!Number.isFinite(lingerMs) || lingerMs < 0) throw new RangeError(`lingerMs must be a non-negative number, got ${lingerMs}`);
    if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new RangeError(`maxRecords must be a positive integer, got ${maxRecords}`);
    this.#log = log;
    this.#lingerMs = lingerMs;
    this.#maxRecords = maxRecords;
  }

  /** Appends `records` to `topic` with the next batch; resolves with their metadata, in order. */
  append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      let batch = this.#pending.get(topic);
      if (batch === undefined) {
        batch = { records: [], waiters: [], cancel: this.#schedule(() => this.#send(topic)) };
        this.#pending.set(topic, batch);
      }
      batch.waiters.push({ start: batch.records.length, count: records.length, resolve, reject });
      for (const record of records) batch.records.push(record);
      if (batch.records.length >= this.#maxRecords) this.#send(topic);
    });
  }

  /** Sends every pending batch now and waits for all batches in flight. */
  async flush(): Promise<void> {
    for (const topic of [...this.#pending.keys()]) this.#send(topic);
    await Promise.all([...this.#inFlight]);
  }

  #schedule(send: () => void): () => void {
    if (this.#lingerMs === 0) {
      const immediate = setImmediate(send);
      return () => clearImmediate(immediate);
    }
    const timeout = setTimeout(send, this.#lingerMs);
    return () => clearTimeout(timeout);
  }

  #send(topic: string): void {
    const batch = this.#pending.get(topic);
    if (batch === undefined) return;
    this.#pending.delete(topic);
    batch.cancel();
    const sent = this.#log.append(topic, batch.records).then(
      (metadata) => {
        for (const w of batch.waiters) w.resolve(metadata.slice(w.start, w.start + w.count));
      },
      (err: unknown) => {
        for (const w of batch.waiters) w.reject(err);
      },
    );
    this.#inFlight.add(sent);
    void sent.finally(() => this.#inFlight.delete(sent));
  }
}
