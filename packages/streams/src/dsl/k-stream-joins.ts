import type { GlobalKTable } from './global-k-table.js';
import type { JoinWindows } from './join-windows.js';
import type { Joined, StreamJoined } from './joined.js';
import type { KStream } from './k-stream.js';
import type { KTable } from './k-table.js';
import type { NamedOptions } from './options.js';

/**
 * The joins of a KStream (Kafka's join matrix): with a KTable (the stream triggers, the table is
 * looked up), with a GlobalKTable (looked up by any function of the record, no co-partitioning),
 * and with another KStream inside JoinWindows. Joiners get the key last. Records with a null value
 * never join; see each operator for null keys.
 */
export interface KStreamJoins<TKey, TValue> {
  /**
   * Windowed inner join: each record joins every record of `other` with the same key whose
   * timestamp is inside `windows`; a result has the later timestamp of the two. Repartitions a
   * side whose key changed; both inputs must be co-partitioned.
   */
  join<TValueOther, TValueOut>(
    other: KStream<TKey, TValueOther>,
    joiner: (value: TValue, otherValue: TValueOther, key: TKey) => TValueOut,
    windows: JoinWindows,
    streamJoined?: StreamJoined<TKey, TValue, TValueOther>,
  ): KStream<TKey, TValueOut>;
  /**
   * Stream-table inner join: each record with a table row for its key joins the row's current
   * value; table updates only change later lookups. The result keeps the record's timestamp.
   */
  join<TTableValue, TValueOut>(
    table: KTable<TKey, TTableValue>,
    joiner: (value: TValue, tableValue: TTableValue, key: TKey) => TValueOut,
    joined?: Joined<TKey, TValue>,
  ): KStream<TKey, TValueOut>;
  /** Stream-global table inner join on `keySelector(key, value)`; records whose lookup finds nothing are dropped. */
  join<TGlobalKey, TGlobalValue, TValueOut>(
    globalTable: GlobalKTable<TGlobalKey, TGlobalValue>,
    keySelector: (key: TKey, value: TValue) => TGlobalKey | null,
    joiner: (value: TValue, globalValue: TGlobalValue, key: TKey) => TValueOut,
    options?: NamedOptions,
  ): KStream<TKey, TValueOut>;

  /**
   * Windowed left join: like `join`, and a record that finds no partner joins with null once its
   * window and the grace period have passed in stream time (see JoinWindows for when exactly).
   */
  leftJoin<TValueOther, TValueOut>(
    other: KStream<TKey, TValueOther>,
    joiner: (value: TValue, otherValue: TValueOther | null, key: TKey) => TValueOut,
    windows: JoinWindows,
    streamJoined?: StreamJoined<TKey, TValue, TValueOther>,
  ): KStream<TKey, TValueOut>;
  /** Stream-table left join: records without a table row join with null (so does a null-key record). */
  leftJoin<TTableValue, TValueOut>(
    table: KTable<TKey, TTableValue>,
    joiner: (value: TValue, tableValue: TTableValue | null, key: TKey) => TValueOut,
    joined?: Joined<TKey, TValue>,
  ): KStream<TKey, TValueOut>;
  /** Stream-global table left join: records whose lookup finds nothing (or a null key) join with null. */
  leftJoin<TGlobalKey, TGlobalValue, TValueOut>(
    globalTable: GlobalKTable<TGlobalKey, TGlobalValue>,
    keySelector: (key: TKey, value: TValue) => TGlobalKey | null,
    joiner: (value: TValue, globalValue: TGlobalValue | null, key: TKey) => TValueOut,
    options?: NamedOptions,
  ): KStream<TKey, TValueOut>;

  /** Windowed outer join: unmatched records of either side join with null after window and grace. */
  outerJoin<TValueOther, TValueOut>(
    other: KStream<TKey, TValueOther>,
    joiner: (value: TValue | null, otherValue: TValueOther | null, key: TKey) => TValueOut,
    windows: JoinWindows,
    streamJoined?: StreamJoined<TKey, TValue, TValueOther>,
  ): KStream<TKey, TValueOut>;
}
