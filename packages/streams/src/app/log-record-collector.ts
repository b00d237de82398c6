import { StreamsError } from '../errors.js';
import type { Log, ProducerRecord } from '../log/types.js';
import type { OutgoingRecord, RecordCollector } from '../processor/internals/record-collector.js';

/** Where a flush appends: the log itself, or an open log transaction (exactly-once). */
export interface AppendTarget {
  append(topic: string, records: ProducerRecord[]): Promise<unknown>;
}

/**
 * The engine's RecordCollector: buffers what tasks send (outputs, repartition and changelog
 * records) and appends it to the log in one batch per topic on `flush()`. Changelog topics are
 * appended before the rest, so a store's changes are durable before the outputs they caused.
 * At least once the engine shares one collector between its tasks and flushes it into the log;
 * exactly once each task has its own, flushed into the task's transaction at a commit.
 */
export class LogRecordCollector implements RecordCollector {
  readonly #log: Log;
  readonly #partitionCounts: Map<string, number>;
  readonly #isChangelog: (topic: string) => boolean;
  #buffers = new Map<string, ProducerRecord[]>();
  #pending = 0;
  #sent = 0;
  /** A flush failed: its records are gone, so nothing may be committed until `discard()`. */
  #failed = false;

  constructor(options: { log: Log; partitionCounts: Map<string, number>; isChangelog: (topic: string) => boolean }) {
    this.#log = options.log;
    this.#partitionCounts = options.partitionCounts;
    this.#isChangelog = options.isChangelog;
  }

  send(record: OutgoingRecord): void {
    let buffer = this.#buffers.get(record.topic);
    if (buffer === undefined) this.#buffers.set(record.topic, (buffer = []));
    buffer.push({
      key: record.key,
      value: record.value,
      headers: record.headers,
      timestamp: record.timestamp,
      ...(record.partition === undefined ? {} : { partition: record.partition }),
    });
    this.#pending++;
  }

  partitionsFor(topic: string): number {
    const count = this.#partitionCounts.get(topic);
    if (count === undefined) throw new TypeError(`the partition count of ${topic} is not known to this application`);
    return count;
  }

  /** Records sent and not yet flushed. */
  get pending(): number {
    return this.#pending;
  }

  /** Records appended to the log since the collector was created. */
  get sent(): number {
    return this.#sent;
  }

  /** Drops everything not yet flushed (a task failed; its output since the last flush must not escape). */
  discard(): void {
    this.#buffers = new Map();
    this.#pending = 0;
    this.#failed = false;
  }

  /**
   * Appends what was sent since the last flush. After a failed flush every later one fails too
   * (until `discard()`): the failed one's records are lost, and committing input offsets past
   * them would lose them for good.
   */
  async flush(target: AppendTarget = this.#log): Promise<void> {
    if (this.#failed) throw new StreamsError('STREAMS_APP_STATE', 'an earlier flush of this collector failed; its tasks must be rebuilt', { retriable: true });
    if (this.#pending === 0) return;
    const buffers = this.#buffers;
    this.#buffers = new Map();
    this.#pending = 0;
    const topics = [...buffers.keys()].sort((a, b) => Number(this.#isChangelog(b)) - Number(this.#isChangelog(a)));
    const changelogs = topics.filter(this.#isChangelog);
    const outputs = topics.filter((t) => !this.#isChangelog(t));
    try {
      for (const group of [changelogs, outputs]) {
        await Promise.all(group.map((topic) => target.append(topic, buffers.get(topic)!)));
      }
    } catch (err) {
      this.#failed = true;
      throw err;
    }
    for (const records of buffers.values()) this.#sent += records.length;
  }
}
