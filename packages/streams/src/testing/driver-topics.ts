import type { LogRecord, RecordHeaders } from '../log/types.js';

/** A record held by the TopologyTestDriver, with its global production order. */
export interface DriverRecord extends LogRecord {
  /** Increases with every append across all topics: the order records were produced in. */
  readonly seq: number;
  /** True for records the application wrote (sinks, repartition and changelog topics). */
  readonly producedByApp: boolean;
}

export interface DriverRecordFields {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
  timestamp: number;
}

/** The TopologyTestDriver's in-memory topics: partitions of records, offsets from 0, no retention. */
export class DriverTopics {
  readonly #topics = new Map<string, DriverRecord[][]>();
  /** Per topic, every partition's records in production (seq) order. */
  readonly #ordered = new Map<string, DriverRecord[]>();
  readonly #partitions: number;
  #seq = 0;

  constructor(partitions: number) {
    this.#partitions = partitions;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  append(topic: string, partition: number, fields: DriverRecordFields, producedByApp: boolean): DriverRecord {
    const log = this.#partition(topic, partition);
    const record: DriverRecord = { topic, partition, offset: log.length, ...fields, seq: ++this.#seq, producedByApp };
    log.push(record);
    this.#orderedOf(topic).push(record);
    return record;
  }

  /** The record at one offset, if any. */
  get(topic: string, partition: number, offset: number): DriverRecord | undefined {
    return this.#partition(topic, partition)[offset];
  }

  /** The records of one partition from `fromOffset` on. */
  read(topic: string, partition: number, fromOffset = 0): readonly DriverRecord[] {
    return this.#partition(topic, partition).slice(fromOffset);
  }

  /** Every record of a topic, all partitions, in production order. */
  all(topic: string): readonly DriverRecord[] {
    return this.#ordered.get(topic) ?? [];
  }

  /** The index in `all(topic)` of the first record produced after `seq` (binary search). */
  indexAfter(topic: string, seq: number): number {
    const ordered = this.all(topic);
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ordered[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops the records matching `drop`, renumbering the offsets of later records in each partition. */
  dropWhere(drop: (record: DriverRecord) => boolean): void {
    for (const [topic, partitions] of this.#topics) {
      this.#topics.set(
        topic,
        partitions.map((log) => log.filter((r) => !drop(r)).map((r, offset) => (r.offset === offset ? r : { ...r, offset }))),
      );
      this.#ordered.set(topic, this.#topics.get(topic)!.flat().sort((a, b) => a.seq - b.seq));
    }
  }

  topicNames(): string[] {
    return [...this.#topics.keys()];
  }

  #orderedOf(topic: string): DriverRecord[] {
    let ordered = this.#ordered.get(topic);
    if (ordered === undefined) this.#ordered.set(topic, (ordered = []));
    return ordered;
  }

  #partition(topic: string, partition: number): DriverRecord[] {
    let partitions = this.#topics.get(topic);
    if (partitions === undefined) {
      partitions = Array.from({ length: this.#partitions }, () => []);
      this.#topics.set(topic, partitions);
    }
    const log = partitions[partition];
    if (log === undefined) throw new RangeError(`partition ${partition} of ${topic} does not exist (${this.#partitions} partitions)`);
    return log;
  }
}
