import type { LogRecord } from '../../../../log/types.js';
import type { BuiltStore, StoreBuildContext, StoreBuilder } from '../../../../state/builders/store-builder.js';
import { assertValidStoreName } from '../../../../state/builders/store-builder.js';
import type { KeyRange } from '../../../../state/internals/key-range.js';
import { prefixRange } from '../../../../state/internals/key-range.js';
import type { KeyValue } from '../../../../state/types.js';
import { IndexedKeyValueStore } from './indexed-key-value-store.js';

/**
 * @internal What a join processor sees of an indexed store: serialized keys and values,
 * synchronous reads, writes and ordered scans, every change copied to the changelog.
 */
export class IndexedBytesStore {
  readonly #inner: IndexedKeyValueStore;
  readonly #context: StoreBuildContext;
  readonly #logging: boolean;

  constructor(inner: IndexedKeyValueStore, context: StoreBuildContext, logging: boolean) {
    this.#inner = inner;
    this.#context = context;
    this.#logging = logging;
  }

  get name(): string {
    return this.#inner.name;
  }

  get(key: Buffer): Buffer | undefined {
    return this.#inner.get(key);
  }

  put(key: Buffer, value: Buffer): void {
    this.#inner.put(key, value);
    if (this.#logging) this.#context.changelog?.log(key, value, this.#context.currentTimestamp());
  }

  delete(key: Buffer): void {
    if (this.#inner.delete(key) !== undefined && this.#logging) this.#context.changelog?.log(key, null, this.#context.currentTimestamp());
  }

  scan(range?: KeyRange): Generator<KeyValue> {
    return this.#inner.scan(range);
  }

  /** Entries whose key starts with `prefix`, in key order. */
  prefixScan(prefix: Buffer): Generator<KeyValue> {
    return this.#inner.scan(prefixRange(prefix));
  }

  firstKey(): Buffer | undefined {
    return this.#inner.firstKey();
  }
}

/** @internal Builds an indexed byte store (memory or LevelDB underneath), changelogged unless `logging` is false. */
export function indexedStoreBuilder(spec: { name: string; persistent: boolean; logging: boolean }): StoreBuilder<IndexedBytesStore> {
  assertValidStoreName(spec.name);
  return {
    name: spec.name,
    persistent: spec.persistent,
    loggingEnabled: spec.logging,
    withLoggingDisabled: () => indexedStoreBuilder({ ...spec, logging: false }),
    build(context: StoreBuildContext): BuiltStore<IndexedBytesStore> {
      const inner = new IndexedKeyValueStore(context.factory.keyValueStore({ name: spec.name, persistent: spec.persistent, taskId: context.taskId }));
      return {
        name: spec.name,
        kind: 'indexed-key-value',
        inner,
        facade: new IndexedBytesStore(inner, context, spec.logging),
        restore: (records: readonly LogRecord[]) => {
          for (const record of records) {
            if (record.key === null) continue;
            if (record.value === null) inner.delete(Buffer.from(record.key));
            else inner.put(Buffer.from(record.key), Buffer.from(record.value));
          }
        },
      };
    },
  };
}
