import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../processor/stores/typed-key-value-store.js';
import type { DroppedRecordHandler } from '../grouped.js';
import type { Change } from './change.js';
import { isNil, reportDropped } from './dropped-records.js';

export interface KStreamAggregateOptions<TKey, TValue, TAgg> {
  processorName: string;
  storeName: string;
  initializer: () => TAgg;
  aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg;
  onDropped: DroppedRecordHandler | undefined;
}

/**
 * `KGroupedStream.aggregate` and `count` (Kafka's `KStreamAggregate`): folds each record into
 * its key's aggregate (starting from the initializer), stores it with the highest timestamp of
 * the records folded in so far, and forwards (new aggregate, old aggregate) with that timestamp.
 * Records with a null key or value are skipped; an aggregator returning null deletes the key.
 */
export class KStreamAggregate<TKey, TValue, TAgg> implements ProcessorSupplier<TKey, TValue, TKey, Change<TAgg>> {
  readonly #options: KStreamAggregateOptions<TKey, TValue, TAgg>;

  constructor(options: KStreamAggregateOptions<TKey, TValue, TAgg>) {
    this.#options = options;
  }

  get(): Processor<TKey, TValue, TKey, Change<TAgg>> {
    const { processorName, storeName, initializer, aggregator, onDropped } = this.#options;
    let context: ProcessorContext<TKey, Change<TAgg>>;
    let store: TimestampedKeyValueStore<TKey, TAgg>;
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
        const newValue = aggregator(record.key, record.value, old === undefined ? initializer() : old.value) ?? null;
        if (newValue === null) store.delete(record.key);
        else store.put(record.key, { value: newValue, timestamp });
        context.forward({ ...record, timestamp, value: { newValue, oldValue: old === undefined ? null : old.value } });
      },
    };
  }
}
