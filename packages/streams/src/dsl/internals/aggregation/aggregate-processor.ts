import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor } from '../../../processor/processor.js';
import type { StreamRecord } from '../../../processor/record.js';
import type { TimestampedKeyValueStore } from '../../../state/typed/typed-key-value-store.js';
import type { Change } from '../tables/change.js';

/** @internal What distinguishes one key-grouped aggregation (aggregate, reduce, count) from another. */
export interface AggregateProcessorOptions<TKey, TValueIn, TAgg> {
  storeName: string;
  /** True: skip the record (nothing is stored or forwarded). */
  skip: (record: StreamRecord<TKey, TValueIn>) => boolean;
  /** The key's new aggregate from the record's value and its current one (null: none yet); null deletes the key. */
  fold: (key: TKey, value: TValueIn, aggregate: TAgg | null) => TAgg | null;
}

/**
 * @internal The skeleton shared by `KStreamAggregate`, `KStreamReduce`, `KTableAggregate` and
 * `KTableReduce`: reads the key's aggregate, folds the record into it, stores the result with the
 * highest timestamp of the records folded in so far (null deletes) and forwards (new aggregate,
 * old aggregate) with that timestamp.
 */
export function aggregateProcessor<TKey, TValueIn, TAgg>(options: AggregateProcessorOptions<TKey, TValueIn, TAgg>): Processor<TKey, TValueIn, TKey, Change<TAgg>> {
  const { storeName, skip, fold } = options;
  let context: ProcessorContext<TKey, Change<TAgg>>;
  let store: TimestampedKeyValueStore<TKey, TAgg>;
  return {
    init: (c) => {
      context = c;
      store = c.getStateStore(storeName);
    },
    process: (record) => {
      if (skip(record)) return;
      const old = store.get(record.key);
      const timestamp = old === undefined ? record.timestamp : Math.max(record.timestamp, old.timestamp);
      const oldValue = old === undefined ? null : old.value;
      const newValue = fold(record.key, record.value, oldValue);
      if (newValue === null) store.delete(record.key);
      else store.put(record.key, { value: newValue, timestamp });
      context.forward({ ...record, timestamp, value: { newValue, oldValue } });
    },
  };
}
