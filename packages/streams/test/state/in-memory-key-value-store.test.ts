import { InMemoryKeyValueStore } from '../../src/state/memory/in-memory-key-value-store.js';
import { keyValueStoreConformance } from '../../src/testing/key-value-store-conformance.js';

keyValueStoreConformance({ name: 'InMemory', factory: () => new InMemoryKeyValueStore('memory-kv') });
