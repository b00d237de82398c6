import type { KeyValuePair, ReadOnlyKeyValueStore, TypedRangeOptions, ValueAndTimestamp } from './typed-key-value-store.js';

/** A read-only view of a timestamped store that shows bare values (timestamps stripped). */
export function valuesOnlyView<TKey, TValue>(
  store: ReadOnlyKeyValueStore<TKey, ValueAndTimestamp<TValue>>,
): ReadOnlyKeyValueStore<TKey, TValue> {
  async function* strip(source: AsyncIterable<KeyValuePair<TKey, ValueAndTimestamp<TValue>>>) {
    for await (const kv of source) yield { key: kv.key, value: kv.value.value };
  }
  return {
    get name() {
      return store.name;
    },
    get: (key) => store.get(key)?.value,
    range: (options?: TypedRangeOptions<TKey>) => strip(store.range(options)),
    all: () => strip(store.all()),
    approximateNumEntries: () => store.approximateNumEntries(),
  };
}
