import type { KeyValuePair, ReadOnlyKeyValueStore } from '@parley/streams';
import { CommunicationError } from '../errors.js';

/**
 * A store view whose reads answer RUNTIME_NOT_READY (503, Retry-After) while the application
 * holds no task for it — it is recovering from a failure or rebalancing — instead of the
 * engine's STREAMS_APP_STATE, whose message names internals an API client cannot act on.
 */
export function notReadyWhileRecovering<TKey, TValue>(view: ReadOnlyKeyValueStore<TKey, TValue>): ReadOnlyKeyValueStore<TKey, TValue> {
  async function* guarded(scan: () => AsyncIterable<KeyValuePair<TKey, TValue>>): AsyncIterable<KeyValuePair<TKey, TValue>> {
    try {
      yield* scan();
    } catch (err) {
      throw translate(err);
    }
  }
  return {
    name: view.name,
    get: (key) => {
      try {
        return view.get(key);
      } catch (err) {
        throw translate(err);
      }
    },
    range: (options) => guarded(() => view.range(options)),
    all: () => guarded(() => view.all()),
    approximateNumEntries: () => view.approximateNumEntries().catch((err: unknown) => Promise.reject(translate(err))),
  };
}

function translate(err: unknown): unknown {
  if ((err as { code?: unknown })?.code !== 'STREAMS_APP_STATE') return err;
  return new CommunicationError('RUNTIME_NOT_READY', 'the communication read model is recovering; send the request again shortly', { cause: err });
}
