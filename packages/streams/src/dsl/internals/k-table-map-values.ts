import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../processor/stores/typed-key-value-store.js';
import type { Change } from './change.js';
import { storeValueGetterSupplier, type KTableValueGetterSupplier } from './k-table-value-getter.js';

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
    const storeName = this.#storeName;
    let context: ProcessorContext<TKey, Change<TValueOut>>;
    let store: TimestampedKeyValueStore<TKey, TValueOut> | undefined;
    return {
      init: (c) => {
        context = c;
        if (storeName !== undefined) store = c.getStateStore(storeName);
      },
      process: (record) => {
        const newValue = this.#map(record.key, record.value.newValue);
        const oldValue = this.#map(record.key, record.value.oldValue);
        if (store !== undefined) {
          if (newValue === null) store.delete(record.key);
          else store.put(record.key, { value: newValue, timestamp: record.timestamp });
        }
        context.forward({ ...record, value: { newValue, oldValue } });
      },
    };
  }

  /** Reads the own store when materialized, else maps the parent's current value on each read. */
  valueGetterSupplier(): KTableValueGetterSupplier<TKey, TValueOut> {
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
            return current === undefined ? undefined : { value: this.#mapper(current.value, key), timestamp: current.timestamp };
          },
        };
      },
    };
  }
}
