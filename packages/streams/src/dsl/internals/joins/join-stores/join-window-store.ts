import type { LogRecord } from '../../../../log/types.js';
import type { BuiltStore, StoreBuildContext, StoreBuilder } from '../../../../state/builders/store-builder.js';
import { assertValidStoreName } from '../../../../state/builders/store-builder.js';
import { decodeWindowKey, encodeWindowKey } from '../../../../state/internals/window-key.js';
import type { WindowStore } from '../../../../state/types.js';
import { appendToValueList, decodeValueList } from './value-list.js';

/** One record kept by a join window store: its timestamp and value bytes. */
export interface TimestampedBytes {
  readonly timestamp: number;
  readonly value: Buffer;
}

/**
 * @internal The records of one side of a stream-stream join, by key and timestamp, keeping every
 * record (two records may share key and timestamp: they are kept as a list under one window start,
 * Kafka's `retainDuplicates`). Works on serialized keys and values; reads are synchronous.
 * Changelog records are keyed `key bytes + timestamp (8 bytes)` with the whole list as value.
 */
export class JoinWindowStore {
  readonly #inner: WindowStore;
  readonly #context: StoreBuildContext;
  readonly #logging: boolean;
  readonly #retentionMs: number;
  /** The highest timestamp written (or restored) into this store. */
  #observed = -1;

  constructor(inner: WindowStore, context: StoreBuildContext, options: { logging: boolean; retentionMs: number }) {
    this.#inner = inner;
    this.#context = context;
    this.#logging = options.logging;
    this.#retentionMs = options.retentionMs;
  }

  /** @internal Restoration: keeps the store's observed time as the writes it replays made it. */
  observe(timestamp: number): void {
    this.#observed = Math.max(this.#observed, timestamp);
  }

  get name(): string {
    return this.#inner.name;
  }

  put(key: Buffer, value: Buffer, timestamp: number): void {
    const list = appendToValueList(this.#inner.fetch(key, timestamp), value);
    this.#inner.put(key, list, timestamp);
    this.observe(timestamp);
    if (this.#logging) this.#context.changelog?.log(encodeWindowKey(key, timestamp), list, timestamp);
  }

  /**
   * Every record of `key` with a timestamp in [fromMs, toMs], oldest first, among those still
   * retained: like Kafka's window stores, records older than the highest timestamp written minus
   * the retention plus one are not returned, even before they are deleted (Kafka answers so:
   * issue 18).
   */
  fetch(key: Buffer, fromMs: number, toMs: number): TimestampedBytes[] {
    const out: TimestampedBytes[] = [];
    // At least the newest timestamp stays visible: with a zero retention (a 0 ms window without
    // grace) Kafka 3.9.2 returns nothing at all, so such a join never joins (a deliberate
    // difference, packages/streams README).
    const from = Math.max(fromMs, this.#observed - Math.max(this.#retentionMs, 1) + 1);
    if (from > toMs) return out;
    for (const window of this.#inner.fetchRange(key, from, toMs)) {
      for (const value of decodeValueList(window.value)) out.push({ timestamp: window.windowStart, value });
    }
    return out;
  }
}

/** @internal Builds a join window store keeping records for `retentionMs` behind the newest. */
export function joinWindowStoreBuilder(spec: { name: string; retentionMs: number; persistent: boolean; logging: boolean }): StoreBuilder<JoinWindowStore> {
  assertValidStoreName(spec.name);
  return {
    name: spec.name,
    persistent: spec.persistent,
    loggingEnabled: spec.logging,
    withLoggingDisabled: () => joinWindowStoreBuilder({ ...spec, logging: false }),
    build(context: StoreBuildContext): BuiltStore<JoinWindowStore> {
      if (context.factory.windowStore === undefined) throw new TypeError(`store ${spec.name} needs a store factory with windowStore()`);
      const inner = context.factory.windowStore({ name: spec.name, persistent: spec.persistent, taskId: context.taskId, retentionMs: spec.retentionMs });
      const facade = new JoinWindowStore(inner, context, { logging: spec.logging, retentionMs: spec.retentionMs });
      return {
        name: spec.name,
        kind: 'join-window',
        inner,
        facade,
        restore: (records: readonly LogRecord[]) => {
          for (const record of records) {
            if (record.key === null) continue;
            const { key, windowStart } = decodeWindowKey(record.key);
            inner.put(Buffer.from(key), record.value, windowStart);
            facade.observe(windowStart);
          }
        },
      };
    },
  };
}
