import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../processor/stores/typed-key-value-store.js';
import type { Change } from './change.js';
import { isNil } from './dropped-records.js';

export interface KTableReduceOptions<TValue> {
  storeName: string;
  adder: (aggregate: TValue, value: TValue) => TValue;
  subtractor: (aggregate: TValue, value: TValue) => TValue | null;
}

/**
 * `KGroupedTable.reduce` (Kafka's `KTableReduce`): like {@link KTableAggregate}, except that a
 * group without an aggregate takes the added value itself as its aggregate.
 */
export class KTableReduce<TKey, TValue> implements ProcessorSupplier<TKey, Change<TValue>, TKey, Change<TValue>> {
  readonly #options: KTableReduceOptions<TValue>;

  constructor(options: KTableReduceOptions<TValue>) {
    this.#options = options;
  }

  get(): Processor<TKey, Change<TValue>, TKey, Change<TValue>> {
    const { storeName, adder, subtractor } = this.#options;
    let context: ProcessorContext<TKey, Change<TValue>>;
    let store: TimestampedKeyValueStore<TKey, TValue>;
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
        let aggregate: TValue | null = old === undefined ? null : old.value;
        if (oldValue !== null && aggregate !== null) aggregate = subtractor(aggregate, oldValue) ?? null;
        if (newValue !== null) aggregate = aggregate === null ? newValue : (adder(aggregate, newValue) ?? null);
        if (aggregate === null) store.delete(record.key);
        else store.put(record.key, { value: aggregate, timestamp });
        context.forward({ ...record, timestamp, value: { newValue: aggregate, oldValue: old === undefined ? null : old.value } });
      },
    };
  }
}
