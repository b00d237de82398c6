import type { TypedSessionStore } from '../../../state/typed/typed-session-store.js';
import type { TimestampedWindowStore } from '../../../state/typed/typed-window-store.js';
import type { Windowed } from '../../windowed.js';
import type { KTableValueGetterSupplier } from '../tables/k-table-value-getter.js';

/** @internal Reads a time- or sliding-windowed aggregation's value for a `Windowed` key from its window store. */
export function windowStoreValueGetterSupplier<TKey, TValue>(storeName: string): KTableValueGetterSupplier<Windowed<TKey>, TValue> {
  return {
    storeNames: () => [storeName],
    get: () => {
      let store: TimestampedWindowStore<TKey, TValue> | undefined;
      return {
        init: (context) => void (store = context.getStateStore(storeName)),
        get: (windowed) => store!.fetch(windowed.key, windowed.window.start),
      };
    },
  };
}

/** @internal Reads a session aggregation's value (timestamp: the session's end) from its session store. */
export function sessionStoreValueGetterSupplier<TKey, TValue>(storeName: string): KTableValueGetterSupplier<Windowed<TKey>, TValue> {
  return {
    storeNames: () => [storeName],
    get: () => {
      let store: TypedSessionStore<TKey, TValue> | undefined;
      return {
        init: (context) => void (store = context.getStateStore(storeName)),
        get: (windowed) => {
          const value = store!.fetchSession(windowed.key, windowed.window.start, windowed.window.end);
          return value === undefined ? undefined : { value, timestamp: windowed.window.end };
        },
      };
    },
  };
}
