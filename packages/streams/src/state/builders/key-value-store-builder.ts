import type { LogRecord } from '../../log/types.js';
import type { Serde } from '../../serde/types.js';
import type { KeyValueStore } from '../types.js';
import { assertValidStoreName, type BuiltStore, type StoreBuildContext, type StoreBuilder } from './store-builder.js';
import { AbstractStoreBuilder, type StoreBuilderSpec } from './abstract-store-builder.js';
import { SerdeKeyValueStore } from '../typed/serde-key-value-store.js';
import { plainValueCodec, timestampedValueCodec, type StoreValueCodec } from '../typed/store-value-codec.js';
import type { ReadOnlyKeyValueStore, TimestampedKeyValueStore, TypedKeyValueStore, ValueAndTimestamp } from '../typed/typed-key-value-store.js';
import { valuesOnlyView } from '../typed/values-only-view.js';

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

interface BuilderSpec<TKey, TStoreValue> extends StoreBuilderSpec {
  keySerde: Serde<TKey>;
  codec: StoreValueCodec<TStoreValue>;
  timestamped: boolean;
}

class KeyValueStoreBuilder<TKey, TStoreValue> extends AbstractStoreBuilder<BuilderSpec<TKey, TStoreValue>, TypedKeyValueStore<TKey, TStoreValue>> {
  constructor(spec: BuilderSpec<TKey, TStoreValue>) {
    assertValidStoreName(spec.name);
    super(spec);
  }

  protected _withSpec(spec: BuilderSpec<TKey, TStoreValue>): KeyValueStoreBuilder<TKey, TStoreValue> {
    return new KeyValueStoreBuilder(spec);
  }

  build(context: StoreBuildContext): BuiltStore<TypedKeyValueStore<TKey, TStoreValue>> {
    const { name, keySerde, codec, persistent, timestamped } = this.spec;
    const inner: KeyValueStore = context.factory.keyValueStore({ name, persistent, taskId: context.taskId });
    const facade = new SerdeKeyValueStore<TKey, TStoreValue>({ inner, keySerde, codec, ...this._facadeLogging(context) });
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

/** Fills the defaults of `options`; `codec` lays out the stored values. */
function builderSpec<TKey, TStoreValue>(
  options: KeyValueStoreBuilderOptions<TKey, unknown>,
  codec: StoreValueCodec<TStoreValue>,
  timestamped: boolean,
): BuilderSpec<TKey, TStoreValue> {
  return {
    name: options.name,
    keySerde: options.keySerde,
    codec,
    persistent: options.persistent ?? true,
    loggingEnabled: options.logging ?? true,
    timestamped,
  };
}

/** A builder for a typed key-value store (Kafka's `Stores.keyValueStoreBuilder`). */
export function keyValueStoreBuilder<TKey, TValue>(
  options: KeyValueStoreBuilderOptions<TKey, TValue>,
): StoreBuilder<TypedKeyValueStore<TKey, TValue>> {
  return new KeyValueStoreBuilder(builderSpec(options, plainValueCodec(options.valueSerde), false));
}

/** A builder for a key-value store whose values carry their record's timestamp (what KTables use). */
export function timestampedKeyValueStoreBuilder<TKey, TValue>(
  options: KeyValueStoreBuilderOptions<TKey, TValue>,
): StoreBuilder<TimestampedKeyValueStore<TKey, TValue>> {
  return new KeyValueStoreBuilder(builderSpec(options, timestampedValueCodec(options.valueSerde), true));
}
