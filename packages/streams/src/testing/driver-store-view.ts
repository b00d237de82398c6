import type { KeyValuePair, ReadOnlyKeyValueStore, TypedRangeOptions } from '../state/typed/typed-key-value-store.js';

/**
 * One store name seen across all partitions of a TopologyTestDriver: `get` asks each task's
 * instance in turn, scans concatenate the partitions (each in key order). Tasks are looked up
 * per call so the view stays valid across a simulated crash.
 */
export function driverStoreView<TKey, TValue>(
  name: string,
  instances: () => readonly ReadOnlyKeyValueStore<TKey, TValue>[],
): ReadOnlyKeyValueStore<TKey, TValue> {
  async function* concat(scan: (s: ReadOnlyKeyValueStore<TKey, TValue>) => AsyncIterable<KeyValuePair<TKey, TValue>>) {
    for (const store of instances()) yield* scan(store);
  }
  return {
    name,
    get(key) {
      for (const store of instances()) {
        const value = store.get(key);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    range: (options?: TypedRangeOptions<TKey>) => concat((s) => s.range(options)),
    all: () => concat((s) => s.all()),
    async approximateNumEntries() {
      let total = 0;
      for (const store of instances()) total += await store.approximateNumEntries();
      return total;
    },
  };
}
