import type { Serde } from '../serde/types.js';
import type { Materialized, TableOperatorOptions } from './options.js';
import type { Window } from './windowed.js';

/**
 * How a stream or table is grouped (Kafka's `Grouped`). `name` names the repartition topic
 * `<applicationId>-<name>-repartition` (otherwise it is named after the aggregation's store)
 * and, for `groupBy`, the key-selecting processor. Serdes default to the stream's own where it
 * still has them; they are required when the grouping changed the type.
 */
export interface Grouped<TKey, TValue> {
  name?: string;
  keySerde?: Serde<TKey>;
  valueSerde?: Serde<TValue>;
}

/** Why an aggregation skipped a record. */
export type DroppedRecordReason =
  /** The record had no key, so it cannot be grouped. */
  | 'null-key'
  /** The record had no value (non-windowed aggregations, reduce and sliding windows skip these, as Kafka does). */
  | 'null-value'
  /** Stream time had passed the end of the record's window(s) plus the grace period. */
  | 'late';

/** A record an aggregation skipped, as reported to `onDropped`. */
export interface DroppedRecord {
  readonly reason: DroppedRecordReason;
  /** The aggregation's processor name. */
  readonly processor: string;
  readonly key: unknown;
  readonly value: unknown;
  /** The record's timestamp in ms. */
  readonly timestamp: number;
  /** For late records: the window (time windows) or session the record would have updated. */
  readonly window?: Window;
}

/** Called synchronously for each skipped record (Kafka counts these in `dropped-records-total`). */
export type DroppedRecordHandler = (dropped: DroppedRecord) => void;

/** Options of `count`, `reduce` and `aggregate`. */
export interface AggregateOptions<TKey, TValue> extends TableOperatorOptions<TKey, TValue> {
  /** Called for every record the aggregation skips (null key or value, late); use it to count them. */
  onDropped?: DroppedRecordHandler;
}

/** How a windowed aggregation keeps its windows: `Materialized` plus how long windows are kept. */
export interface WindowedMaterialized<TKey, TValue> extends Materialized<TKey, TValue> {
  /**
   * Window store retention in ms: at least, and by default, the window size (or the inactivity
   * gap) plus the grace period; for sliding windows twice the time difference plus the grace
   * period plus 1 ms.
   */
  retentionMs?: number;
}

/** Options of windowed `count`, `reduce` and `aggregate`. */
export interface WindowedAggregateOptions<TKey, TValue> extends AggregateOptions<TKey, TValue> {
  materialized?: WindowedMaterialized<TKey, TValue>;
}
