import type { LogRecord } from '../../log/types.js';
import type { Serde } from '../../serde/types.js';
import type { BuiltStore, StoreBuildContext, StoreBuilder } from './store-builder.js';
import { AbstractStoreBuilder } from './abstract-store-builder.js';
import { SerdeSessionStore, type TypedSessionStore } from '../typed/typed-session-store.js';
import { restoreWindows } from '../typed/typed-window-store.js';
import { buildByteWindowStore, windowBuilderSpec, type WindowBuilderSpec, type WindowStoreBuilderOptions } from './window-store-builder.js';

/** Options of `sessionStoreBuilder`; `retentionMs` counts from session ends. */
export type SessionStoreBuilderOptions<TKey, TValue> = WindowStoreBuilderOptions<TKey, TValue>;

interface SessionBuilderSpec<TKey, TValue> extends WindowBuilderSpec {
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
}

class SessionStoreBuilder<TKey, TValue> extends AbstractStoreBuilder<SessionBuilderSpec<TKey, TValue>, TypedSessionStore<TKey, TValue>> {
  protected _withSpec(spec: SessionBuilderSpec<TKey, TValue>): SessionStoreBuilder<TKey, TValue> {
    return new SessionStoreBuilder(spec);
  }

  build(context: StoreBuildContext): BuiltStore<TypedSessionStore<TKey, TValue>> {
    const { keySerde, valueSerde } = this.spec;
    const inner = buildByteWindowStore(this.spec, context);
    const facade = new SerdeSessionStore<TKey, TValue>({ inner, keySerde, valueSerde, ...this._facadeLogging(context) });
    return {
      name: this.spec.name,
      kind: 'session',
      inner,
      facade,
      // The changelog holds the stored bytes (session start + value) as they are.
      restore: (records: readonly LogRecord[]) => restoreWindows(inner, (value) => value, records),
    };
  }
}

/**
 * A builder for a typed session store (Kafka's `Stores.sessionStoreBuilder`), laid out on a
 * window store of the same name (see `SerdeSessionStore` for the layout).
 */
export function sessionStoreBuilder<TKey, TValue>(options: SessionStoreBuilderOptions<TKey, TValue>): StoreBuilder<TypedSessionStore<TKey, TValue>> {
  return new SessionStoreBuilder({ ...windowBuilderSpec(options), keySerde: options.keySerde, valueSerde: options.valueSerde });
}
