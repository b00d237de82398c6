import type { ReadOnlyKeyValueStore } from '@parley/streams';

/**
 * Where the query layer reads the topology's stores: a started `StreamsApp` is one
 * (`app.store(name)`), and so is `{ store: (name) => driver.getKeyValueStore(name) }` over a
 * TopologyTestDriver. Reads cover the partitions this process holds, which is all of them on the
 * embedded log (one process).
 */
export interface StoreProvider {
  store<TKey, TValue>(name: string): ReadOnlyKeyValueStore<TKey, TValue>;
}
