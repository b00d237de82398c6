import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../processor/stores/typed-key-value-store.js';
import type { Change } from './change.js';
import { storeValueGetterSupplier, type KTableValueGetterSupplier } from './k-table-value-getter.js';

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
    const storeName = this.#storeName;
    let context: ProcessorContext<TKey, Change<TValue>>;
    let store: TimestampedKeyValueStore<TKey, TValue> | undefined;
    return {
      init: (c) => {
        context = c;
        if (storeName !== undefined) store = c.getStateStore(storeName);
      },
      process: (record) => {
        const newValue = this.#keep(record.key, record.value.newValue);
        const oldValue = this.#keep(record.key, record.value.oldValue);
        if (newValue === null && oldValue === null) return;
        if (store !== undefined) {
          if (newValue === null) store.delete(record.key);
          else store.put(record.key, { value: newValue, timestamp: record.timestamp });
        }
        context.forward({ ...record, value: { newValue, oldValue } });
      },
    };
  }

  /** Reads the filter's own store when materialized, else the parent's value through the predicate. */
  valueGetterSupplier(): KTableValueGetterSupplier<TKey, TValue> {
    if (this.#storeName !== undefined) return storeValueGetterSupplier(this.#storeName);
    const parent = this.#parent;
    return {
      storeNames: () => parent.storeNames(),
      get: () => {
        const getter = parent.get();
        return {
          init: (context) => getter.init(context),
          get: (key) => {
            const current = getter.get(key);
            return current !== undefined && this.#keep(key, current.value) !== null ? current : undefined;
          },
        };
      },
    };
  }
}
