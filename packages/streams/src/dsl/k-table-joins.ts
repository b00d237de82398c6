import type { ForeignKeyJoinOptions } from './joined.js';
import type { KTable } from './k-table.js';
import type { TableOperatorOptions } from './options.js';

/**
 * The joins of a KTable: equi-joins with a co-partitioned table of the same key type (inner, left,
 * outer), and foreign-key joins (inner, left) with any table, keyed by a function of this table's
 * values. Results are tables: a key leaving the result is forwarded as a tombstone. As in Kafka
 * Streams, tombstones also go out for keys that were not in the result (an equi-join forwards one
 * whenever the other table has a row; a foreign-key join for every deleted left row).
 */
export interface KTableJoins<TKey, TValue> {
  /**
   * Foreign-key inner join: each row joins the row of `other` whose key is
   * `foreignKeyExtractor(value, key)`; an update of that row updates every row referencing it. A
   * null foreign key is ignored. No co-partitioning needed. Results take the later timestamp.
   */
  join<TKeyOther, TValueOther, TValueOut>(
    other: KTable<TKeyOther, TValueOther>,
    foreignKeyExtractor: (value: TValue, key: TKey) => TKeyOther | null,
    joiner: (value: TValue, otherValue: TValueOther) => TValueOut,
    options?: ForeignKeyJoinOptions<TKey, TValue, TKeyOther, TValueOther, TValueOut>,
  ): KTable<TKey, TValueOut>;
  /** Inner equi-join: keys present in both tables; the result takes the later of the two timestamps. */
  join<TValueOther, TValueOut>(
    other: KTable<TKey, TValueOther>,
    joiner: (value: TValue, otherValue: TValueOther) => TValueOut,
    options?: TableOperatorOptions<TKey, TValueOut>,
  ): KTable<TKey, TValueOut>;

  /** Foreign-key left join: rows without a matching row of `other` join with null. */
  leftJoin<TKeyOther, TValueOther, TValueOut>(
    other: KTable<TKeyOther, TValueOther>,
    foreignKeyExtractor: (value: TValue, key: TKey) => TKeyOther | null,
    joiner: (value: TValue, otherValue: TValueOther | null) => TValueOut,
    options?: ForeignKeyJoinOptions<TKey, TValue, TKeyOther, TValueOther, TValueOut>,
  ): KTable<TKey, TValueOut>;
  /** Left equi-join: every key of this table; a missing row of `other` joins as null. */
  leftJoin<TValueOther, TValueOut>(
    other: KTable<TKey, TValueOther>,
    joiner: (value: TValue, otherValue: TValueOther | null) => TValueOut,
    options?: TableOperatorOptions<TKey, TValueOut>,
  ): KTable<TKey, TValueOut>;

  /** Outer equi-join: every key of either table; the missing side joins as null. */
  outerJoin<TValueOther, TValueOut>(
    other: KTable<TKey, TValueOther>,
    joiner: (value: TValue | null, otherValue: TValueOther | null) => TValueOut,
    options?: TableOperatorOptions<TKey, TValueOut>,
  ): KTable<TKey, TValueOut>;
}
