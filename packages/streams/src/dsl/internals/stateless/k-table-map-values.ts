import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { Change } from '../tables/change.js';
import { derivedValueGetterSupplier, type KTableValueGetterSupplier } from '../tables/k-table-value-getter.js';
import { transformChangeProcessor } from './transform-change-processor.js';

/** `KTable.mapValues`: maps both the new and the old value, so downstream can retract the old one. */
export class KTableMapValues<TKey, TValue, TValueOut> implements ProcessorSupplier<TKey, Change<TValue>, TKey, Change<TValueOut>> {
  readonly #parent: KTableValueGetterSupplier<TKey, TValue>;
  readonly #mapper: (value: TValue, key: TKey) => TValueOut;
  readonly #storeName: string | undefined;

  constructor(options: {
    parent: KTableValueGetterSupplier<TKey, TValue>;
    mapper: (value: TValue, key: TKey) => TValueOut;
    storeName: string | undefined;
  }) {
    this.#parent = options.parent;
    this.#mapper = options.mapper;
    this.#storeName = options.storeName;
  }

  #map(key: TKey, value: TValue | null): TValueOut | null {
    return value === null ? null : this.#mapper(value, key);
  }

  get(): Processor<TKey, Change<TValue>, TKey, Change<TValueOut>> {
    return transformChangeProcessor<TKey, TValue, TValueOut>(this.#storeName, (key, change) => ({
      newValue: this.#map(key, change.newValue),
      oldValue: this.#map(key, change.oldValue),
    }));
  }

  /** Reads the own store when materialized, else maps the parent's current value on each read. */
  valueGetterSupplier(): KTableValueGetterSupplier<TKey, TValueOut> {
    return derivedValueGetterSupplier<TKey, TValue, TValueOut>(this.#parent, this.#storeName, (key, current) => ({
      value: this.#mapper(current.value, key),
      timestamp: current.timestamp,
    }));
  }
}
