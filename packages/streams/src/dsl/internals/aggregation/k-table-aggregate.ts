import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { aggregateProcessor } from './aggregate-processor.js';
import type { Change } from '../tables/change.js';
import { isNil } from '../dropped-records.js';

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
    return aggregateProcessor<TKey, Change<TValue>, TAgg>({
      storeName,
      skip: (record) => isNil(record.key),
      fold: (key, { newValue, oldValue }, aggregate) => {
        let result = aggregate;
        if (oldValue !== null && result !== null) result = subtractor(key, oldValue, result) ?? null;
        if (newValue !== null) result = adder(key, newValue, result ?? initializer()) ?? null;
        return result;
      },
    });
  }
}
