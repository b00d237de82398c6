import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { aggregateProcessor } from './aggregate-processor.js';
import type { Change } from '../tables/change.js';
import { isNil } from '../dropped-records.js';

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
    return aggregateProcessor<TKey, Change<TValue>, TValue>({
      storeName,
      skip: (record) => isNil(record.key),
      fold: (_key, { newValue, oldValue }, aggregate) => {
        let result = aggregate;
        if (oldValue !== null && result !== null) result = subtractor(result, oldValue) ?? null;
        if (newValue !== null) result = result === null ? newValue : (adder(result, newValue) ?? null);
        return result;
      },
    });
  }
}
