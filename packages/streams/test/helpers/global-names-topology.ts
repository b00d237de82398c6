import { keyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import type { TypedKeyValueStore } from '../../src/state/typed/typed-key-value-store.js';
import { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';

const str = Serdes.string();

/**
 * A topology of one global store `names` filled from topic `names` (a tombstone deletes), nothing
 * else; `onApplied` is told of each record its processor applies.
 */
export function globalNamesTopology(options: { persistent?: boolean; onApplied?: () => void } = {}): Topology {
  return new Topology().addGlobalStore({
    storeBuilder: keyValueStoreBuilder({ name: 'names', keySerde: str, valueSerde: str, logging: false, persistent: options.persistent ?? true }),
    sourceName: 'names-src',
    topic: 'names',
    keySerde: str,
    valueSerde: str,
    processorName: 'names-writer',
    processorSupplier: () => {
      let store: TypedKeyValueStore<string, string>;
      return {
        init: (c) => void (store = c.getStateStore('names')),
        process: (r) => {
          options.onApplied?.();
          if (r.value === null) store.delete(r.key);
          else store.put(r.key, r.value);
        },
      };
    },
  });
}
