import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../../state/typed/typed-key-value-store.js';
import type { Change } from './change.js';
import { storeValueGetterSupplier, type KTableValueGetterSupplier } from './k-table-value-getter.js';

/**
 * Turns a stream of upserts into table updates (`builder.table`, `KStream.toTable`): writes each
 * record to the table's store (a null value deletes) and forwards (new value, old value).
 * Records with a null key cannot be stored and are dropped, as in Kafka.
 */
export class KTableSource<TKey, TValue> implements ProcessorSupplier<TKey, TValue | null, TKey, Change<TValue>> {
  readonly storeName: string;

  constructor(storeName: string) {
    this.storeName = storeName;
  }

  get(): Processor<TKey, TValue | null, TKey, Change<TValue>> {
    const storeName = this.storeName;
    let context: ProcessorContext<TKey, Change<TValue>>;
    let store: TimestampedKeyValueStore<TKey, TValue>;
    return {
      init: (c) => {
        context = c;
        store = c.getStateStore(storeName);
      },
      process: (record) => {
        if (record.key === null || record.key === undefined) return;
        const old = store.get(record.key);
        const newValue = record.value ?? null;
        if (newValue === null) store.delete(record.key);
        else store.put(record.key, { value: newValue, timestamp: record.timestamp });
        context.forward({ ...record, value: { newValue, oldValue: old === undefined ? null : old.value } });
      },
    };
  }

  valueGetterSupplier(): KTableValueGetterSupplier<TKey, TValue> {
    return storeValueGetterSupplier(this.storeName);
  }
}
