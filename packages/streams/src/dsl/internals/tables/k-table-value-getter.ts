import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { TimestampedKeyValueStore, ValueAndTimestamp } from '../../../state/typed/typed-key-value-store.js';

/**
 * @internal Reads a KTable's current value for a key from inside another processor of the same
 * task (Kafka's `KTableValueGetter`). A stream-table join connects its processor to
 * `storeNames()`, calls `init` from its own `init`, then `get` per stream record.
 */
export interface KTableValueGetter<TKey, TValue> {
  init(context: ProcessorContext<unknown, unknown>): void;
  get(key: TKey): ValueAndTimestamp<TValue> | undefined;
}

/** @internal Creates value getters; `storeNames` are the stores a getter reads (to connect them). */
export interface KTableValueGetterSupplier<TKey, TValue> {
  get(): KTableValueGetter<TKey, TValue>;
  storeNames(): readonly string[];
}

/** @internal The getter of a materialized table: reads its timestamped store. */
export function storeValueGetterSupplier<TKey, TValue>(storeName: string): KTableValueGetterSupplier<TKey, TValue> {
  return {
    storeNames: () => [storeName],
    get: () => {
      let store: TimestampedKeyValueStore<TKey, TValue> | undefined;
      return {
        init: (context) => {
          store = context.getStateStore<TimestampedKeyValueStore<TKey, TValue>>(storeName);
        },
        get: (key) => store!.get(key),
      };
    },
  };
}

/**
 * @internal The getter of an operator derived from `parent` (filter, mapValues): reads the
 * operator's own store when materialized (`storeName` set), else applies `derive` to the parent's
 * current value on each read (undefined: the key is absent downstream).
 */
export function derivedValueGetterSupplier<TKey, TValue, TValueOut>(
  parent: KTableValueGetterSupplier<TKey, TValue>,
  storeName: string | undefined,
  derive: (key: TKey, current: ValueAndTimestamp<TValue>) => ValueAndTimestamp<TValueOut> | undefined,
): KTableValueGetterSupplier<TKey, TValueOut> {
  if (storeName !== undefined) return storeValueGetterSupplier(storeName);
  return {
    storeNames: () => parent.storeNames(),
    get: () => {
      const getter = parent.get();
      return {
        init: (context) => getter.init(context),
        get: (key) => {
          const current = getter.get(key);
          return current === undefined ? undefined : derive(key, current);
        },
      };
    },
  };
}
