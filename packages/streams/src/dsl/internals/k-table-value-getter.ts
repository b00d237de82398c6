import type { ProcessorContext } from '../../processor/processor-context.js';
import type { TimestampedKeyValueStore, ValueAndTimestamp } from '../../processor/stores/typed-key-value-store.js';

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
