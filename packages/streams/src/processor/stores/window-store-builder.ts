import type { LogRecord } from '../../log/types.js';
import type { Serde } from '../../serde/types.js';
import type { WindowStore } from '../../state/types.js';
import { assertValidStoreName, type BuiltStore, type StoreBuildContext, type StoreBuilder } from '../store-builder.js';
import { plainValueCodec, timestampedValueCodec, type StoreValueCodec } from './store-value-codec.js';
import { TimeIndexedWindowStore } from './time-indexed-window-store.js';
import { restoreWindows, SerdeWindowStore, type TimestampedWindowStore, type TypedWindowStore } from './typed-window-store.js';

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
export interface WindowBuilderSpec {
  name: string;
  retentionMs: number;
  persistent: boolean;
  loggingEnabled: boolean;
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

class WindowStoreBuilder<TKey, TStoreValue> implements StoreBuilder<TypedWindowStore<TKey, TStoreValue>> {
  readonly #spec: WindowBuilderSpec;
  readonly #keySerde: Serde<TKey>;
  readonly #codec: StoreValueCodec<TStoreValue>;
  readonly #kind: string;

  constructor(spec: WindowBuilderSpec, keySerde: Serde<TKey>, codec: StoreValueCodec<TStoreValue>, kind: string) {
    this.#spec = spec;
    this.#keySerde = keySerde;
    this.#codec = codec;
    this.#kind = kind;
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

  /** Retention in ms behind the highest window start seen. */
  get retentionMs(): number {
    return this.#spec.retentionMs;
  }

  withLoggingDisabled(): WindowStoreBuilder<TKey, TStoreValue> {
    return new WindowStoreBuilder({ ...this.#spec, loggingEnabled: false }, this.#keySerde, this.#codec, this.#kind);
  }

  build(context: StoreBuildContext): BuiltStore<TypedWindowStore<TKey, TStoreValue>> {
    const inner = buildByteWindowStore(this.#spec, context);
    const facade = new SerdeWindowStore<TKey, TStoreValue>({
      inner,
      keySerde: this.#keySerde,
      codec: this.#codec,
      changelog: this.#spec.loggingEnabled ? context.changelog : null,
      currentTimestamp: () => context.currentTimestamp(),
    });
    return {
      name: this.#spec.name,
      kind: this.#kind,
      inner,
      facade,
      restore: (records: readonly LogRecord[]) => restoreWindows(inner, this.#codec.fromChangelog, records),
    };
  }
}

/** A builder for a typed window store (Kafka's `Stores.windowStoreBuilder`). */
export function windowStoreBuilder<TKey, TValue>(options: WindowStoreBuilderOptions<TKey, TValue>): StoreBuilder<TypedWindowStore<TKey, TValue>> {
  return new WindowStoreBuilder(windowBuilderSpec(options), options.keySerde, plainValueCodec(options.valueSerde), 'window');
}

/** A builder for a window store whose values carry their latest record's timestamp (what windowed aggregations use). */
export function timestampedWindowStoreBuilder<TKey, TValue>(
  options: WindowStoreBuilderOptions<TKey, TValue>,
): StoreBuilder<TimestampedWindowStore<TKey, TValue>> {
  return new WindowStoreBuilder(windowBuilderSpec(options), options.keySerde, timestampedValueCodec(options.valueSerde), 'timestamped-window');
}
