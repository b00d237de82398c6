import type { LogRecord } from '../../log/types.js';
import type { KeyValueStore, StateStore, WindowStore } from '../types.js';
import type { TaskId } from '../../processor/processor-context.js';
import type { ReadOnlyKeyValueStore } from '../typed/typed-key-value-store.js';

/** What the engine asks of a byte-level store factory; `taskId` is null for global stores. */
export interface ByteStoreSpec {
  readonly name: string;
  /** The builder's wish: LevelDB under the engine's state directory when true, memory when false. */
  readonly persistent: boolean;
  readonly taskId: TaskId | null;
}

/** What a window (or session) store builder asks of the factory. */
export interface ByteWindowStoreSpec extends ByteStoreSpec {
  /** How long windows are kept, in ms behind the highest window start the store has seen. */
  readonly retentionMs: number;
}

/**
 * Creates the byte-level stores under the typed facades. The engine supplies one (memory or
 * LevelDB under its state dir); the TopologyTestDriver supplies an all-memory one. Session
 * stores are laid out on a window store, so they need no method of their own.
 */
export interface ByteStoreFactory {
  keyValueStore(spec: ByteStoreSpec): KeyValueStore;
  /** Optional so hand-written key-value-only factories keep working; window store builders require it. */
  windowStore?(spec: ByteWindowStoreSpec): WindowStore;
}

/** Receives every change a store makes, to append it to the store's changelog topic. */
export interface ChangeLogger {
  log(key: Buffer, value: Buffer | null, timestampMs: number): void;
}

/** @internal What a task hands a builder when it builds the store for one task. */
export interface StoreBuildContext {
  readonly factory: ByteStoreFactory;
  readonly taskId: TaskId | null;
  /** Null when logging is disabled (or for global stores, whose topic is their changelog). */
  readonly changelog: ChangeLogger | null;
  /** The timestamp of the record (or punctuation) being processed, in ms: the changelog record's timestamp. */
  currentTimestamp(): number;
}

/** @internal A store built for one task: the byte store the task manages and the facade processors use. */
export interface BuiltStore<TStore> {
  readonly name: string;
  /** 'key-value' or 'timestamped-key-value' (facade values are `ValueAndTimestamp`); window kinds later. */
  readonly kind: string;
  /** The byte store: opened, flushed and closed by the task; restore writes go straight to it. */
  readonly inner: StateStore;
  readonly facade: TStore;
  /** Applies changelog records to the byte store, bypassing change logging. */
  restore(records: readonly LogRecord[]): void;
  /** A read-only key → value view (timestamps stripped), for the TopologyTestDriver and queries. */
  readonly keyValueView?: ReadOnlyKeyValueStore<unknown, unknown>;
}

/**
 * Describes a state store; the engine builds one instance per task from it. Builders are
 * immutable: `withLoggingDisabled()` returns a new builder.
 */
export interface StoreBuilder<TStore> {
  readonly name: string;
  /** True (the default) for LevelDB-backed stores, false for in-memory ones. */
  readonly persistent: boolean;
  /** True (the default) when every change is written to `<applicationId>-<name>-changelog`. */
  readonly loggingEnabled: boolean;
  withLoggingDisabled(): StoreBuilder<TStore>;
  /** @internal */
  build(context: StoreBuildContext): BuiltStore<TStore>;
}

/** Store names become topic names, so they follow Kafka's topic-name rules. */
export function assertValidStoreName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !/^[a-zA-Z0-9._-]{1,200}$/.test(name)) {
    throw new TypeError(`store name must be 1-200 characters of [a-zA-Z0-9._-], got ${JSON.stringify(name)}`);
  }
}
