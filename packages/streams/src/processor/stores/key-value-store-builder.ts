import type { LogRecord } from '../../log/types.js';
import type { Serde } from '../../serde/types.js';
import type { KeyValueStore } from '../../state/types.js';
import { assertValidStoreName, type BuiltStore, type StoreBuildContext, type StoreBuilder } from '../store-builder.js';
import { SerdeKeyValueStore } from './serde-key-value-store.js';
import { plainValueCodec, timestampedValueCodec, type StoreValueCodec } from './store-value-codec.js';
import type { ReadOnlyKeyValueStore, TimestampedKeyValueStore, TypedKeyValueStore, ValueAndTimestamp } from './typed-key-value-store.js';
import { valuesOnlyView } from './values-only-view.js';

export interface KeyValueStoreBuilderOptions<TKey, TValue> {
  /** Also the middle of the changelog topic name `<applicationId>-<name>-changelog`. */
  name: string;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  /** LevelDB (true, the default) or memory (false); the TopologyTestDriver always uses memory. */
  persistent?: boolean;
  /** Write every change to the changelog topic; default true. */
  logging?: boolean;
}

interface BuilderSpec<TKey, TStoreValue> {
  name: string;
  keySerde: Serde<TKey>;
  codec: StoreValueCodec<TStoreValue>;
  persistent: boolean;
  loggingEnabled: boolean;
  timestamped: boolean;
}

class KeyValueStoreBuilder<TKey, TStoreValue> implements StoreBuilder<TypedKeyValueStore<TKey, TStoreValue>> {
  readonly #spec: BuilderSpec<TKey, TStoreValue>;

  constructor(spec: BuilderSpec<TKey, TStoreValue>) {
    assertValidStoreName(spec.name);
    this.#spec = spec;
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

  withLoggingDisabled(): KeyValueStoreBuilder<TKey, TStoreValue> {
    return new KeyValueStoreBuilder({ ...this.#spec, loggingEnabled: false });
  }

  build(context: StoreBuildContext): BuiltStore<TypedKeyValueStore<TKey, TStoreValue>> {
    const { name, keySerde, codec, persistent, timestamped } = this.#spec;
    const inner: KeyValueStore = context.factory.keyValueStore({ name, persistent, taskId: context.taskId });
    const facade = new SerdeKeyValueStore<TKey, TStoreValue>({
      inner,
      keySerde,
      codec,
      changelog: this.#spec.loggingEnabled ? context.changelog : null,
      currentTimestamp: () => context.currentTimestamp(),
    });
    const keyValueView = (timestamped
      ? valuesOnlyView(facade as unknown as ReadOnlyKeyValueStore<TKey, ValueAndTimestamp<unknown>>)
      : facade) as ReadOnlyKeyValueStore<unknown, unknown>;
    return {
      name,
      kind: timestamped ? 'timestamped-key-value' : 'key-value',
      inner,
      facade,
      keyValueView,
      restore: (records: readonly LogRecord[]) => restoreInto(inner, codec, records),
    };
  }
}

function restoreInto<TValue>(inner: KeyValueStore, codec: StoreValueCodec<TValue>, records: readonly LogRecord[]): void {
  for (const record of records) {
    if (record.key === null) continue;
    if (record.value === null) inner.delete(record.key);
    else inner.put(record.key, codec.fromChangelog(record.value, record.timestamp));
  }
}

/** A builder for a typed key-value store (Kafka's `Stores.keyValueStoreBuilder`). */
export function keyValueStoreBuilder<TKey, TValue>(
  options: KeyValueStoreBuilderOptions<TKey, TValue>,
): StoreBuilder<TypedKeyValueStore<TKey, TValue>> {
  return new KeyValueStoreBuilder({
    name: options.name,
    keySerde: options.keySerde,
    codec: plainValueCodec(options.valueSerde),
    persistent: options.persistent ?? true,
    loggingEnabled: options.logging ?? true,
    timestamped: false,
  });
}

/** A builder for a key-value store whose values carry their record's timestamp (what KTables use). */
export function timestampedKeyValueStoreBuilder<TKey, TValue>(
  options: KeyValueStoreBuilderOptions<TKey, TValue>,
): StoreBuilder<TimestampedKeyValueStore<TKey, TValue>> {
  return new KeyValueStoreBuilder({
    name: options.name,
    keySerde: options.keySerde,
    codec: timestampedValueCodec(options.valueSerde),
    persistent: options.persistent ?? true,
    loggingEnabled: options.logging ?? true,
    timestamped: true,
  });
}
