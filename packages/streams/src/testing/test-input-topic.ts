import type { RecordHeaders } from '../log/types.js';
import type { Serde } from '../serde/types.js';
import type { DriverRecordFields } from './driver-topics.js';

/** A record to pipe; the timestamp defaults to the topic's current time. */
export interface TestInputRecord<TKey, TValue> {
  key: TKey | null;
  value: TValue | null;
  /** Milliseconds since the epoch. */
  timestamp?: number;
  headers?: RecordHeaders;
}

export interface TestInputTopicOptions {
  /** Time of the first record piped without a timestamp, in ms; default the driver's start time. */
  startTimestampMs?: number;
  /** How far the topic's time moves after each record piped without a timestamp, in ms; default 0. */
  autoAdvanceMs?: number;
}

/** What an input topic needs from its driver: append one record and process everything it causes. */
export interface DriverPipe {
  pipe(topic: string, fields: DriverRecordFields): void;
  pipeAsync(topic: string, fields: DriverRecordFields): Promise<void>;
}

/**
 * Pipes records into one input topic of the TopologyTestDriver. `pipeInput` processes the record,
 * and everything it causes downstream, before returning. If a processor returns a promise,
 * `pipeInput` throws a TypeError: use the `*Async` variants for such topologies.
 */
export class TestInputTopic<TKey, TValue> {
  readonly name: string;
  readonly #keySerde: Serde<TKey>;
  readonly #valueSerde: Serde<TValue>;
  readonly #driver: DriverPipe;
  readonly #autoAdvanceMs: number;
  #currentTimeMs: number;

  /** @internal Created by `TopologyTestDriver.createInputTopic`. */
  constructor(
    name: string,
    config: { keySerde: Serde<TKey>; valueSerde: Serde<TValue>; startTimestampMs: number; autoAdvanceMs: number },
    driver: DriverPipe,
  ) {
    if (!Number.isFinite(config.autoAdvanceMs) || config.autoAdvanceMs < 0) throw new RangeError('autoAdvanceMs must be >= 0');
    this.name = name;
    this.#keySerde = config.keySerde;
    this.#valueSerde = config.valueSerde;
    this.#driver = driver;
    this.#currentTimeMs = config.startTimestampMs;
    this.#autoAdvanceMs = config.autoAdvanceMs;
  }

  pipeInput(key: TKey | null, value: TValue | null, timestampMs?: number): void {
    this.pipeRecord(timestampMs === undefined ? { key, value } : { key, value, timestamp: timestampMs });
  }

  pipeRecord(record: TestInputRecord<TKey, TValue>): void {
    this.#driver.pipe(this.name, this.#encode(record));
  }

  pipeRecordList(records: readonly TestInputRecord<TKey, TValue>[]): void {
    for (const record of records) this.pipeRecord(record);
  }

  /** Pipes `[key, value]` pairs at the topic's current time. */
  pipeKeyValueList(pairs: readonly (readonly [TKey | null, TValue | null])[]): void {
    for (const [key, value] of pairs) this.pipeRecord({ key, value });
  }

  async pipeInputAsync(key: TKey | null, value: TValue | null, timestampMs?: number): Promise<void> {
    await this.pipeRecordAsync(timestampMs === undefined ? { key, value } : { key, value, timestamp: timestampMs });
  }

  async pipeRecordAsync(record: TestInputRecord<TKey, TValue>): Promise<void> {
    await this.#driver.pipeAsync(this.name, this.#encode(record));
  }

  async pipeRecordListAsync(records: readonly TestInputRecord<TKey, TValue>[]): Promise<void> {
    for (const record of records) await this.pipeRecordAsync(record);
  }

  /** Moves the time used for records piped without a timestamp. */
  advanceTime(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advanceTime needs a non-negative number of ms');
    this.#currentTimeMs += ms;
  }

  #encode(record: TestInputRecord<TKey, TValue>): DriverRecordFields {
    let timestamp = record.timestamp;
    if (timestamp === undefined) {
      timestamp = this.#currentTimeMs;
      this.#currentTimeMs += this.#autoAdvanceMs;
    }
    return {
      key: record.key === null ? null : this.#keySerde.serialize(record.key, this.name),
      value: record.value === null ? null : this.#valueSerde.serialize(record.value, this.name),
      headers: record.headers ?? {},
      timestamp,
    };
  }
}
