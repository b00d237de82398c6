import type { RecordHeaders } from '../log/types.js';
import type { Serde } from '../serde/types.js';
import type { DriverRecord, DriverTopics } from './driver-topics.js';

/** A record read from an output topic of the TopologyTestDriver. */
export interface TestRecord<TKey, TValue> {
  readonly topic: string;
  readonly partition: number;
  readonly key: TKey | null;
  readonly value: TValue | null;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly headers: RecordHeaders;
}

export interface TestKeyValue<TKey, TValue> {
  readonly key: TKey | null;
  readonly value: TValue | null;
}

/**
 * Reads what the topology wrote to one topic, in the order it was written (across partitions).
 * Each read consumes records: a record is returned once per output topic object.
 */
export class TestOutputTopic<TKey, TValue> {
  readonly name: string;
  readonly #keySerde: Serde<TKey>;
  readonly #valueSerde: Serde<TValue>;
  readonly #topics: Pick<DriverTopics, 'all' | 'indexAfter'>;
  #lastSeq = 0;

  /** @internal Created by `TopologyTestDriver.createOutputTopic`. */
  constructor(name: string, serdes: { keySerde: Serde<TKey>; valueSerde: Serde<TValue> }, topics: Pick<DriverTopics, 'all' | 'indexAfter'>) {
    this.name = name;
    this.#keySerde = serdes.keySerde;
    this.#valueSerde = serdes.valueSerde;
    this.#topics = topics;
  }

  /** The next unread record, or undefined when every record has been read. */
  readRecord(): TestRecord<TKey, TValue> | undefined {
    const next: DriverRecord | undefined = this.#topics.all(this.name)[this.#topics.indexAfter(this.name, this.#lastSeq)];
    if (next === undefined) return undefined;
    this.#lastSeq = next.seq;
    return {
      topic: next.topic,
      partition: next.partition,
      key: next.key === null ? null : this.#keySerde.deserialize(next.key, next.topic),
      value: next.value === null ? null : this.#valueSerde.deserialize(next.value, next.topic),
      timestamp: next.timestamp,
      headers: next.headers,
    };
  }

  readKeyValue(): TestKeyValue<TKey, TValue> | undefined {
    const record = this.readRecord();
    return record === undefined ? undefined : { key: record.key, value: record.value };
  }

  readValue(): TValue | null | undefined {
    return this.readRecord()?.value;
  }

  readRecordsToList(): TestRecord<TKey, TValue>[] {
    const out: TestRecord<TKey, TValue>[] = [];
    for (let r = this.readRecord(); r !== undefined; r = this.readRecord()) out.push(r);
    return out;
  }

  readKeyValuesToList(): TestKeyValue<TKey, TValue>[] {
    return this.readRecordsToList().map((r) => ({ key: r.key, value: r.value }));
  }

  readValuesToList(): (TValue | null)[] {
    return this.readRecordsToList().map((r) => r.value);
  }

  /** The latest value per key; a null value (tombstone) removes the key. */
  readKeyValuesToMap(): Map<TKey | null, TValue> {
    const out = new Map<TKey | null, TValue>();
    for (const r of this.readRecordsToList()) {
      if (r.value === null) out.delete(r.key);
      else out.set(r.key, r.value);
    }
    return out;
  }

  /** How many records are unread. */
  getQueueSize(): number {
    return this.#topics.all(this.name).length - this.#topics.indexAfter(this.name, this.#lastSeq);
  }

  isEmpty(): boolean {
    return this.getQueueSize() === 0;
  }
}
