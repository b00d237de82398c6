import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../processor/stores/typed-key-value-store.js';
import type { Change } from './change.js';
import { isNil } from './dropped-records.js';

export interface KTableAggregateOptions<TKey, TValue, TAgg> {
  storeName: string;
  initializer: () => TAgg;
  adder: (key: TKey, value: TValue, aggregate: TAgg) => TAgg;
  subtractor: (key: TKey, value: TValue, aggregate: TAgg) => TAgg | null;
}

/**
 * `KGroupedTable.aggregate` and `count` (Kafka's `KTableAggregate`), after the repartition
 * topic: subtracts the old value (when the group has an aggregate), then adds the new value
 * (initializing the group when it has none). A null result removes the group; the group then
 * restarts from the initializer. The result's timestamp is the highest of the record's and the
 * previous aggregate's.
 */
export class KTableAggregate<TKey, TValue, TAgg> implements ProcessorSupplier<TKey, Change<TValue>, TKey, Change<TAgg>> {
  readonly #options: KTableAggregateOptions<TKey, TValue, TAgg>;

  constructor(options: KTableAggregateOptions<TKey, TValue, TAgg>) {
    this.#options = options;
  }

  get(): Processor<TKey, Change<TValue>, TKey, Change<TAgg>> {
    const { storeName, initializer, adder, subtractor } = this.#options;
    let context: ProcessorContext<TKey, Change<TAgg>>;
    let store: TimestampedKeyValueStore<TKey, TAgg>;
    return {
      init: (c) => {
        context = c;
        store = c.getStateStore(storeName);
      },
      process: (record) => {
        if (isNil(record.key)) return;
        const { newValue, oldValue } = record.value;
        const old = store.get(record.key);
        const timestamp = old === undefined ? record.timestamp : Math.max(record.timestamp, old.timestamp);
        let aggregate: TAgg | null = old === undefined ? null : old.value;
        if (oldValue !== null && aggregate !== null) aggregate = subtractor(record.key, oldValue, aggregate) ?? null;
        if (newValue !== null) aggregate = adder(record.key, newValue, aggregate ?? initializer()) ?? null;
        if (aggregate === null) store.delete(record.key);
        else store.put(record.key, { value: aggregate, timestamp });
        context.forward({ ...record, timestamp, value: { newValue: aggregate, oldValue: old === undefined ? null : old.value } });
      },
    };
  }
}
