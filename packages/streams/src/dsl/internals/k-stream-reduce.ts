import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../processor/stores/typed-key-value-store.js';
import type { DroppedRecordHandler } from '../grouped.js';
import type { Change } from './change.js';
import { isNil, reportDropped } from './dropped-records.js';

export interface KStreamReduceOptions<TValue> {
  processorName: string;
  storeName: string;
  reducer: (aggregate: TValue, value: TValue) => TValue;
  onDropped: DroppedRecordHandler | undefined;
}

/**
 * `KGroupedStream.reduce` (Kafka's `KStreamReduce`): a key's first value is its aggregate, each
 * later one is combined with `reducer(aggregate, value)`. Timestamps, forwarding and skipped
 * records as in {@link KStreamAggregate}.
 */
export class KStreamReduce<TKey, TValue> implements ProcessorSupplier<TKey, TValue, TKey, Change<TValue>> {
  readonly #options: KStreamReduceOptions<TValue>;

  constructor(options: KStreamReduceOptions<TValue>) {
    this.#options = options;
  }

  get(): Processor<TKey, TValue, TKey, Change<TValue>> {
    const { processorName, storeName, reducer, onDropped } = this.#options;
    let context: ProcessorContext<TKey, Change<TValue>>;
    let store: TimestampedKeyValueStore<TKey, TValue>;
    return {
      init: (c) => {
        context = c;
        store = c.getStateStore(storeName);
      },
      process: (record) => {
        if (isNil(record.key) || isNil(record.value)) {
          reportDropped(onDropped, processorName, isNil(record.key) ? 'null-key' : 'null-value', record);
          return;
        }
        const old = store.get(record.key);
        const timestamp = old === undefined ? record.timestamp : Math.max(record.timestamp, old.timestamp);
        const newValue = (old === undefined ? record.value : reducer(old.value, record.value)) ?? null;
        if (newValue === null) store.delete(record.key);
        else store.put(record.key, { value: newValue, timestamp });
        context.forward({ ...record, timestamp, value: { newValue, oldValue: old === undefined ? null : old.value } });
      },
    };
  }
}
