import { KeyValueWindowStore } from '../internals/key-value-window-store.js';
import { LevelDbKeyValueStore } from './leveldb-key-value-store.js';

export interface LevelDbWindowStoreOptions {
  /** Parent directory; the store keeps its LevelDB files in `<dir>/<name>`. */
  dir: string;
  /** How long windows are kept, in ms behind the highest window start seen. */
  retentionMs: number;
  /** Buffered window writes at which a background flush starts. Default 10,000. */
  maxPendingWrites?: number;
  /** LevelDB's block cache, in bytes (see LevelDbKeyValueStoreOptions). */
  blockCacheBytes?: number;
  /** LevelDB's memtable, in bytes (see LevelDbKeyValueStoreOptions). */
  writeBufferBytes?: number;
}

/**
 * A persistent window store on LevelDB. Each window is one LevelDB entry:
 *
 *   key   = window key bytes + window start as 8 bytes, unsigned big-endian (ms)
 *   value = the window's value
 *
 * On open, the store scans its database once to build the in-memory index of live windows,
 * which keeps `fetch`/`fetchRange` synchronous (index lookup, then `getSync`), and drops the
 * windows that fell out of retention. Changes are buffered like {@link LevelDbKeyValueStore}
 * writes and persisted on `flush()`.
 */
export class LevelDbWindowStore extends KeyValueWindowStore {
  constructor(name: string, options: LevelDbWindowStoreOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('LevelDbWindowStore needs options { dir, retentionMs }');
    const inner = new LevelDbKeyValueStore(name, {
      dir: options.dir,
      ...(options.maxPendingWrites === undefined ? {} : { maxPendingWrites: options.maxPendingWrites }),
      ...(options.blockCacheBytes === undefined ? {} : { blockCacheBytes: options.blockCacheBytes }),
      ...(options.writeBufferBytes === undefined ? {} : { writeBufferBytes: options.writeBufferBytes }),
    });
    super(inner, options.retentionMs);
  }
}
