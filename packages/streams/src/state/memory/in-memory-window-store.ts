import { KeyValueWindowStore } from '../internals/key-value-window-store.js';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.js';

export interface InMemoryWindowStoreOptions {
  /** How long windows are kept, in ms behind the highest window start seen. */
  retentionMs: number;
}

/** A window store held in memory. Not persistent: its windows are dropped on `close()`. */
export class InMemoryWindowStore extends KeyValueWindowStore {
  constructor(name: string, options: InMemoryWindowStoreOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('InMemoryWindowStore needs options { retentionMs }');
    super(new InMemoryKeyValueStore(name), options.retentionMs);
  }
}
