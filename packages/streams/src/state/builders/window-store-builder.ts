import type { LogRecord } from '../../log/types.js';
import type { Serde } from '../../serde/types.js';
import type { WindowStore } from '../types.js';
import { assertValidStoreName, type BuiltStore, type StoreBuildContext, type StoreBuilder } from './store-builder.js';
import { AbstractStoreBuilder, type StoreBuilderSpec } from './abstract-store-builder.js';
import { plainValueCodec, timestampedValueCodec, type StoreValueCodec } from '../typed/store-value-codec.js';
import { TimeIndexedWindowStore } from '../typed/time-indexed-window-store.js';
import { restoreWindows, SerdeWindowStore, type TimestampedWindowStore, type TypedWindowStore } from '../typed/typed-window-store.js';

export interface WindowStoreBuilderOptions<TKey, TValue> {
  /** Also the middle of the changelog topic name `<applicationId>-<name>-changelog`. */
  name: string;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  /** How long windows are kept, in ms behind the highest window start seen (an integer >= 0). */
  retentionMs: number;
  /** LevelDB (true, the default) or memory (false); the TopologyTestDriver always uses memory. */
  persistent?: boolean;
  /** Write every change to the changelog topic; default true. */
  logging?: boolean;
  /** @internal Keep an index by start so every window of a time range can be listed synchronously. */
  timeIndexed?: boolean;
}

/** @internal What window and session store builders share: the spec and getting the byte store. */
export interface WindowBuilderSpec extends StoreBuilderSpec {
  retentionMs: number;
  timeIndexed: boolean;
}

/** @internal Checks a window builder's options and fills the defaults. */
export function windowBuilderSpec(options: Omit<WindowStoreBuilderOptions<unknown, unknown>, 'keySerde' | 'valueSerde'>): WindowBuilderSpec {
  assertValidStoreName(options.name);
  if (!Number.isSafeInteger(options.retentionMs) || options.retentionMs < 0) {
    throw new RangeError(`retentionMs of store ${options.name} must be a non-negative integer (ms)`);
  }
  return {
    name: options.name,
    retentionMs: options.retentionMs,
    persistent: options.persistent ?? true,
    loggingEnabled: options.logging ?? true,
    timeIndexed: options.timeIndexed ?? false,
  };
}

/** @internal The byte window store for one task, time-indexed when the spec asks for it. */
export function buildByteWindowStore(spec: WindowBuilderSpec, context: StoreBuildContext): WindowStore {
  const { factory, taskId } = context;
  if (typeof factory.windowStore !== 'function') throw new TypeError(`store ${spec.name}: this store factory cannot create window stores`);
  const inner = factory.windowStore({ name: spec.name, persistent: spec.persistent, taskId, retentionMs: spec.retentionMs });
  return spec.timeIndexed ? new TimeIndexedWindowStore(inner) : inner;
}

interface TypedWindowBuilderSpec<TKey, TStoreValue> extends WindowBuilderSpec {
  keySerde: Serde<TKey>;
  codec: StoreValueCodec<TStoreValue>;
  kind: string;
}

class WindowStoreBuilder<TKey, TStoreValue> extends AbstractStoreBuilder<TypedWindowBuilderSpec<TKey, TStoreValue>, TypedWindowStore<TKey, TStoreValue>> {
  /** Retention in ms behind the highest window start seen. */
  get retentionMs(): number {
    return this.spec.retentionMs;
  }

  protected _withSpec(spec: TypedWindowBuilderSpec<TKey, TStoreValue>): WindowStoreBuilder<TKey, TStoreValue> {
    return new WindowStoreBuilder(spec);
  }

  build(context: StoreBuildContext): BuiltStore<TypedWindowStore<TKey, TStoreValue>> {
    const { keySerde, codec } = this.spec;
    const inner = buildByteWindowStore(this.spec, context);
    const facade = new SerdeWindowStore<TKey, TStoreValue>({ inner, keySerde, codec, ...this._facadeLogging(context) });
    return {
      name: this.spec.name,
      kind: this.spec.kind,
      inner,
      facade,
      restore: (records: readonly LogRecord[]) => restoreWindows(inner, codec.fromChangelog, records),
    };
  }
}

/** A builder for a typed window store (Kafka's `Stores.windowStoreBuilder`). */
export function windowStoreBuilder<TKey, TValue>(options: WindowStoreBuilderOptions<TKey, TValue>): StoreBuilder<TypedWindowStore<TKey, TValue>> {
  return new WindowStoreBuilder({ ...windowBuilderSpec(options), keySerde: options.keySerde, codec: plainValueCodec(options.valueSerde), kind: 'window' });
}

/** A builder for a window store whose values carry their latest record's timestamp (what windowed aggregations use). */
export function timestampedWindowStoreBuilder<TKey, TValue>(
  options: WindowStoreBuilderOptions<TKey, TValue>,
): StoreBuilder<TimestampedWindowStore<TKey, TValue>> {
  return new WindowStoreBuilder({
    ...windowBuilderSpec(options),
    keySerde: options.keySerde,
    codec: timestampedValueCodec(options.valueSerde),
    kind: 'timestamped-window',
  });
}
