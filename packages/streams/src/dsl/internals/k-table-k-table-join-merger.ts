import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../processor/stores/typed-key-value-store.js';
import type { Change } from './change.js';

/**
 * Joins the two sides of a table-table join into one table (Kafka's `KTableKTableJoinMerger`):
 * passes every change on and, when the join is materialized, keeps the result in its store.
 */
export class KTableKTableJoinMerger<TKey, TValue> implements ProcessorSupplier<TKey, Change<TValue>, TKey, Change<TValue>> {
  readonly #storeName: string | undefined;

  constructor(storeName: string | undefined) {
    this.#storeName = storeName;
  }

  get(): Processor<TKey, Change<TValue>, TKey, Change<TValue>> {
    const storeName = this.#storeName;
    let context: ProcessorContext<TKey, Change<TValue>>;
    let store: TimestampedKeyValueStore<TKey, TValue> | undefined;
    return {
      init: (c) => {
        context = c;
        if (storeName !== undefined) store = c.getStateStore(storeName);
      },
      process: (record) => {
        if (store !== undefined) {
          if (record.value.newValue === null) store.delete(record.key);
          else store.put(record.key, { value: record.value.newValue, timestamp: record.timestamp });
        }
        context.forward(record);
      },
    };
  }
}
