import { StreamsError } from '../../errors.js';
import type { StateStore } from '../types.js';

/**
 * Runs a backend scan for a store's public scan method: the scan starts on the first `next()`,
 * and if the store is closed before the scan ends it stops with `STREAMS_STORE_NOT_OPEN` (the
 * backend's own error, such as a closed LevelDB iterator, becomes the cause).
 */
export async function* guardScan<T>(store: StateStore, scan: () => AsyncIterable<T>): AsyncGenerator<T> {
  try {
    if (!store.isOpen) throw notOpen(store);
    for await (const item of scan()) {
      if (!store.isOpen) throw notOpen(store);
      yield item;
    }
  } catch (err) {
    if (store.isOpen || (err instanceof StreamsError && err.code === 'STREAMS_STORE_NOT_OPEN')) throw err;
    throw notOpen(store, err);
  }
}

function notOpen(store: StateStore, cause?: unknown): StreamsError {
  return new StreamsError('STREAMS_STORE_NOT_OPEN', `State store "${store.name}" was closed during a scan`, { cause });
}
