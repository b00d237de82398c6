import { StreamsError } from '../errors.js';
import type { KeyValuePair, ReadOnlyKeyValueStore, TypedRangeOptions } from '../state/typed/typed-key-value-store.js';
import type { ActiveTask } from './task-manager.js';

/**
 * One read-only view over the instances of a store in every local task (each holds the keys of
 * its partition) or over a global store. Scans concatenate the tasks' scans: each task's part is
 * in key order, the whole is not.
 */
export function combinedStoreView<TKey, TValue>(
  name: string,
  tasks: () => readonly ActiveTask[],
  globals: ReadonlyMap<string, unknown> | undefined,
): ReadOnlyKeyValueStore<TKey, TValue> {
  const views = (): ReadOnlyKeyValueStore<TKey, TValue>[] => {
    const global = globals?.get(name);
    if (global !== undefined) return [global as ReadOnlyKeyValueStore<TKey, TValue>];
    const found = tasks().flatMap((t) => {
      const store = t.task.stores.get(name);
      return store?.built.keyValueView === undefined ? [] : [store.built.keyValueView as ReadOnlyKeyValueStore<TKey, TValue>];
    });
    if (found.length === 0 && !tasks().some((t) => t.task.stores.has(name))) {
      throw new StreamsError('STREAMS_APP_STATE', `no local task holds a key-value store named ${name}`);
    }
    return found;
  };
  async function* concat(scan: (v: ReadOnlyKeyValueStore<TKey, TValue>) => AsyncIterable<KeyValuePair<TKey, TValue>>) {
    for (const view of views()) yield* scan(view);
  }
  return {
    name,
    get: (key) => {
      for (const view of views()) {
        const value = view.get(key);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    range: (options?: TypedRangeOptions<TKey>) => concat((v) => v.range(options)),
    all: () => concat((v) => v.all()),
    approximateNumEntries: async () => {
      let total = 0;
      for (const view of views()) total += await view.approximateNumEntries();
      return total;
    },
  };
}
