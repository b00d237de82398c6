import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { DroppedRecordHandler } from '../../grouped.js';
import { aggregateProcessor } from './aggregate-processor.js';
import type { Change } from '../tables/change.js';
import { reportIfNil } from '../dropped-records.js';

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
    return aggregateProcessor<TKey, TValue, TValue>({
      storeName,
      skip: (record) => reportIfNil(onDropped, processorName, record),
      fold: (_key, value, aggregate) => (aggregate === null ? value : reducer(aggregate, value)) ?? null,
    });
  }
}
