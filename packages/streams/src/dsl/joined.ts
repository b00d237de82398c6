import type { Serde } from '../serde/types.js';
import type { Materialized, NamedOptions } from './options.js';

/**
 * Options of a stream-table join (Kafka's `Joined`). The serdes are needed only when the stream
 * must be repartitioned first (a key-changing operator ran upstream) and no longer knows them.
 */
export interface Joined<TKey, TValue> extends NamedOptions {
  keySerde?: Serde<TKey>;
  valueSerde?: Serde<TValue>;
}

/**
 * Options of a stream-stream join (Kafka's `StreamJoined`). Each side keeps the records of the
 * last window in a window store, `<storeName>-this-join-store` and `<storeName>-other-join-store`
 * (changelogged as `<applicationId>-<store>-changelog`); left and outer joins add
 * `<storeName>-outer-shared-join-store` for records still waiting for a partner. Serdes default to
 * the streams' own when they still know them.
 */
export interface StreamJoined<TKey, TValue, TValueOther> extends NamedOptions {
  /** Prefix of the store names; default the join processor's name. */
  storeName?: string;
  keySerde?: Serde<TKey>;
  valueSerde?: Serde<TValue>;
  otherValueSerde?: Serde<TValueOther>;
  /** LevelDB (true, the default) or memory (false). */
  persistent?: boolean;
  /** Changelog the stores; default true. */
  logging?: boolean;
}

/**
 * Options of a foreign-key table join (Kafka's `TableJoined` plus `Materialized`). Serdes default
 * to the tables' own: the foreign key travels in the other table's key serde, the left key in this
 * table's key serde, and this table's values are hashed in `valueSerde` to recognise stale responses.
 */
export interface ForeignKeyJoinOptions<TKey, TValue, TKeyOther, TValueOther, TValueOut> extends NamedOptions {
  /** Materializes the result (needs a `valueSerde` for the result); then downstream sees old values too. */
  materialized?: Materialized<TKey, TValueOut>;
  keySerde?: Serde<TKey>;
  valueSerde?: Serde<TValue>;
  otherKeySerde?: Serde<TKeyOther>;
  otherValueSerde?: Serde<TValueOther>;
}
