import type { LogRecord } from '../../log/types.js';
import type { Serde } from '../../serde/types.js';
import type { BuiltStore, StoreBuildContext, StoreBuilder } from '../store-builder.js';
import { SerdeSessionStore, type TypedSessionStore } from './typed-session-store.js';
import { restoreWindows } from './typed-window-store.js';
import { buildByteWindowStore, windowBuilderSpec, type WindowBuilderSpec, type WindowStoreBuilderOptions } from './window-store-builder.js';

/** Options of `sessionStoreBuilder`; `retentionMs` counts from session ends. */
export type SessionStoreBuilderOptions<TKey, TValue> = WindowStoreBuilderOptions<TKey, TValue>;

class SessionStoreBuilder<TKey, TValue> implements StoreBuilder<TypedSessionStore<TKey, TValue>> {
  readonly #spec: WindowBuilderSpec;
  readonly #keySerde: Serde<TKey>;
  readonly #valueSerde: Serde<TValue>;

  constructor(spec: WindowBuilderSpec, keySerde: Serde<TKey>, valueSerde: Serde<TValue>) {
    this.#spec = spec;
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
  }

  get name(): string {
    return this.#spec.name;
  }

  get persistent(): boolean {
    return this.#spec.persistent;
  }

  get loggingEnabled(): boolean {
    return this.#spec.loggingEnabled;
  }

  withLoggingDisabled(): SessionStoreBuilder<TKey, TValue> {
    return new SessionStoreBuilder({ ...this.#spec, loggingEnabled: false }, this.#keySerde, this.#valueSerde);
  }

  build(context: StoreBuildContext): BuiltStore<TypedSessionStore<TKey, TValue>> {
    const inner = buildByteWindowStore(this.#spec, context);
    const facade = new SerdeSessionStore<TKey, TValue>({
      inner,
      keySerde: this.#keySerde,
      valueSerde: this.#valueSerde,
      changelog: this.#spec.loggingEnabled ? context.changelog : null,
      currentTimestamp: () => context.currentTimestamp(),
    });
    return {
      name: this.#spec.name,
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
  return new SessionStoreBuilder(windowBuilderSpec(options), options.keySerde, options.valueSerde);
}
