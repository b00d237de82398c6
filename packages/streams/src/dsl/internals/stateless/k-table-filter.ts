import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { Change } from '../tables/change.js';
import { derivedValueGetterSupplier, type KTableValueGetterSupplier } from '../tables/k-table-value-getter.js';
import { transformChangeProcessor } from './transform-change-processor.js';

/**
 * `KTable.filter` / `filterNot`: a value that fails the predicate becomes absent, so a key that
 * stops matching is forwarded as a tombstone (new null, old value). Updates where both the old
 * and the new value are absent are not forwarded.
 */
export class KTableFilter<TKey, TValue> implements ProcessorSupplier<TKey, Change<TValue>, TKey, Change<TValue>> {
  readonly #parent: KTableValueGetterSupplier<TKey, TValue>;
  readonly #predicate: (key: TKey, value: TValue) => boolean;
  readonly #filterNot: boolean;
  /** Set when the filter is materialized. */
  readonly #storeName: string | undefined;

  constructor(options: {
    parent: KTableValueGetterSupplier<TKey, TValue>;
    predicate: (key: TKey, value: TValue) => boolean;
    filterNot: boolean;
    storeName: string | undefined;
  }) {
    this.#parent = options.parent;
    this.#predicate = options.predicate;
    this.#filterNot = options.filterNot;
    this.#storeName = options.storeName;
  }

  #keep(key: TKey, value: TValue | null): TValue | null {
    return value !== null && this.#predicate(key, value) !== this.#filterNot ? value : null;
  }

  get(): Processor<TKey, Change<TValue>, TKey, Change<TValue>> {
    return transformChangeProcessor<TKey, TValue, TValue>(this.#storeName, (key, change) => {
      const newValue = this.#keep(key, change.newValue);
      const oldValue = this.#keep(key, change.oldValue);
      return newValue === null && oldValue === null ? undefined : { newValue, oldValue };
    });
  }

  /** Reads the filter's own store when materialized, else the parent's value through the predicate. */
  valueGetterSupplier(): KTableValueGetterSupplier<TKey, TValue> {
    return derivedValueGetterSupplier<TKey, TValue, TValue>(this.#parent, this.#storeName, (key, current) =>
      this.#keep(key, current.value) !== null ? current : undefined,
    );
  }
}
