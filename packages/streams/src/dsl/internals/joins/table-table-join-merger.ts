import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { Change } from '../tables/change.js';
import { transformChangeProcessor } from '../stateless/transform-change-processor.js';

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
    return transformChangeProcessor<TKey, TValue, TValue>(this.#storeName, (_key, change) => change);
  }
}
