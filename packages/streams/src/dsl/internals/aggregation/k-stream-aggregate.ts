import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { DroppedRecordHandler } from '../../grouped.js';
import { aggregateProcessor } from './aggregate-processor.js';
import type { Change } from '../tables/change.js';
import { reportIfNil } from '../dropped-records.js';

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
    return aggregateProcessor<TKey, TValue, TAgg>({
      storeName,
      skip: (record) => reportIfNil(onDropped, processorName, record),
      fold: (key, value, aggregate) => aggregator(key, value, aggregate === null ? initializer() : aggregate) ?? null,
    });
  }
}
