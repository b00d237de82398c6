declare const globalKTableTypes: unique symbol;

/**
 * A table replicated in full to every task (Kafka's `GlobalKTable`): its store is filled from all
 * partitions of its topic before processing starts, so streams can join it on any field of their
 * values without co-partitioning. Created with `StreamsBuilder.globalTable`; only joins read it.
 */
export interface GlobalKTable<TKey, TValue> {
  /** The global store holding the table (readable with `StreamsApp.store`). */
  readonly queryableStoreName: string;
  /** Type-level only: carries the key and value types. */
  readonly [globalKTableTypes]?: readonly [TKey, TValue];
}
