import type { LogRecord, RecordBatch, TopicPartition } from '../log/types.js';

interface PartitionBuffer {
  records: LogRecord[];
  head: number;
  /** Offset after the last fetched record. */
  fetchedUpTo: number;
  /** The partition's end offset when last fetched or asked. */
  highWatermark: number;
}

const keyOf = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/**
 * The input buffers of one task. When a task reads several partitions (a join's two topics, say),
 * records are taken in timestamp order across them, as Kafka Streams does, and a partition that
 * is empty but known to have more data (its high watermark is ahead) holds processing back until
 * its records arrive (Kafka's `max.task.idle.ms` = 0 behaviour).
 */
export class PartitionGroup {
  readonly #buffers = new Map<string, PartitionBuffer>();

  constructor(partitions: readonly { tp: TopicPartition; position: number; highWatermark: number }[]) {
    for (const { tp, position, highWatermark } of partitions) {
      this.#buffers.set(keyOf(tp), { records: [], head: 0, fetchedUpTo: position, highWatermark });
    }
  }

  add(batch: RecordBatch): void {
    const buffer = this.#buffers.get(keyOf(batch));
    if (buffer === undefined) return;
    if (buffer.head > 1024 && buffer.head * 2 > buffer.records.length) {
      buffer.records = buffer.records.slice(buffer.head);
      buffer.head = 0;
    }
    for (const record of batch.records) buffer.records.push(record);
    const last = batch.records[batch.records.length - 1];
    if (last !== undefined) buffer.fetchedUpTo = last.offset + 1;
    buffer.highWatermark = Math.max(batch.highWatermark, buffer.fetchedUpTo);
  }

  /** Buffered records of one partition. */
  buffered(tp: TopicPartition): number {
    const buffer = this.#buffers.get(keyOf(tp));
    return buffer === undefined ? 0 : buffer.records.length - buffer.head;
  }

  /** The next record to process, or undefined when none may be processed yet. */
  next(): LogRecord | undefined {
    if (this.#buffers.size === 1) {
      const only = this.#buffers.values().next().value!;
      return only.head < only.records.length ? this.#take(only) : undefined;
    }
    let best: PartitionBuffer | undefined;
    for (const buffer of this.#buffers.values()) {
      if (buffer.head >= buffer.records.length) {
        if (buffer.fetchedUpTo < buffer.highWatermark) return undefined;
        continue;
      }
      if (best === undefined || buffer.records[buffer.head]!.timestamp < best.records[best.head]!.timestamp) best = buffer;
    }
    return best === undefined ? undefined : this.#take(best);
  }

  #take(buffer: PartitionBuffer): LogRecord {
    const record = buffer.records[buffer.head]!;
    buffer.records[buffer.head++] = undefined as unknown as LogRecord;
    if (buffer.head === buffer.records.length) {
      buffer.records = [];
      buffer.head = 0;
    }
    return record;
  }
}
