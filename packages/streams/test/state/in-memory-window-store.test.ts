import { InMemoryWindowStore } from '../../src/state/memory/in-memory-window-store.js';
import { windowStoreConformance } from '../../src/testing/window-store-conformance.js';

windowStoreConformance({ name: 'InMemory', factory: ({ retentionMs }) => new InMemoryWindowStore('windows', { retentionMs }) });
