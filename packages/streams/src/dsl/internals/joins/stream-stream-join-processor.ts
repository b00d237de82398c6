import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { StreamRecord } from '../../../processor/record.js';
import type { Serde } from '../../../serde/types.js';
import type { IndexedBytesStore } from './join-stores/indexed-store-builder.js';
import type { JoinWindowStore } from './join-stores/join-window-store.js';
import { OuterJoinKey, streamTimeOf, type JoinSide, type JoinTimeTracker } from './outer-join-key.js';
import { appendToValueList, decodeValueList } from './join-stores/value-list.js';

export interface KStreamKStreamJoinOptions<TKey, TLeft, TRight, TValueOut> {
  /** Which input this processor receives. */
  side: JoinSide;
  thisStoreName: string;
  otherStoreName: string;
  /** The store of records still waiting for a partner (left and outer joins only). */
  outerStoreName: string | undefined;
  /** The join windows as declared (left's view: right records in [t - beforeMs, t + afterMs]). */
  beforeMs: number;
  afterMs: number;
  graceMs: number;
  /** True when this side's unmatched records are emitted as `joiner(value, null)`. */
  outer: boolean;
  keySerde: Serde<TKey>;
  leftSerde: Serde<TLeft>;
  rightSerde: Serde<TRight>;
  joiner: (left: TLeft | null, right: TRight | null, key: TKey) => TValueOut;
}

/**
 * One side of a windowed stream-stream join (Kafka's `KStreamKStreamJoin{Left,Right}Side`). Each
 * record is kept in this side's window store and joined with every record of the other side whose
 * timestamp lies in the join window; a result takes the later of the two timestamps.
 *
 * Unmatched records of an outer side wait in the shared outer store, keyed by (timestamp, side,
 * key), and are emitted as `joiner(value, null)` (with their own timestamp) only once stream time
 * has passed their window end plus grace (KAFKA-10847): a later partner removes them from the
 * store instead. Stream time is shared by both sides of one task. A record whose window had
 * already ended when it arrived (grace not counted, as in Kafka) is emitted at once. When
 * exactly the waiting records are emitted follows Kafka Streams (see `emitExpired`), checked by
 * the differential suite. Null values are dropped; a null key can
 * never match, so an outer side emits it at once and an inner side drops it (KIP-962).
 */
export class KStreamKStreamJoin<TKey, TLeft, TRight, TValueOut> implements ProcessorSupplier<TKey, unknown, TKey, TValueOut> {
  readonly #o: KStreamKStreamJoinOptions<TKey, TLeft, TRight, TValueOut>;

  constructor(options: KStreamKStreamJoinOptions<TKey, TLeft, TRight, TValueOut>) {
    this.#o = options;
  }

  get(): Processor<TKey, unknown, TKey, TValueOut> {
    const o = this.#o;
    const isLeft = o.side === 'left';
    // This side's view of the window, and how long each side's records wait (Kafka's look-back).
    const [before, after] = isLeft ? [o.beforeMs, o.afterMs] : [o.afterMs, o.beforeMs];
    const lookBack = (side: JoinSide): number => (side === 'left' ? o.afterMs : o.beforeMs);
    const thisSerde = (isLeft ? o.leftSerde : o.rightSerde) as Serde<unknown>;
    const otherSerde = (isLeft ? o.rightSerde : o.leftSerde) as Serde<unknown>;
    const otherSide: JoinSide = isLeft ? 'right' : 'left';
    const join = (mine: unknown, theirs: unknown, key: TKey): TValueOut =>
      isLeft ? o.joiner(mine as TLeft | null, theirs as TRight | null, key) : o.joiner(theirs as TLeft | null, mine as TRight | null, key);
    let context: ProcessorContext<TKey, TValueOut>;
    let thisStore: JoinWindowStore;
    let otherStore: JoinWindowStore;
    let outerStore: IndexedBytesStore | undefined;
    let time: JoinTimeTracker = { streamTime: -1, minTime: undefined };

    /**
     * Emits and removes the waiting records whose window and grace have passed, with Kafka's
     * timing (KStreamKStreamJoin#emitNonJoinedOuterRecords, its wall-clock throttle at 0): a pass
     * runs only once `minTime` (see JoinTimeTracker) has fallen out of this side's window plus
     * grace, and stops at the first record still open on each side.
     */
    const emitExpired = (record: StreamRecord<TKey, unknown>): void => {
      const store = outerStore!;
      if (time.minTime !== undefined && time.minTime + after + o.graceMs >= time.streamTime) return;
      time.minTime = undefined;
      const open = { left: false, right: false };
      for (const { key: stored, value } of store.scan()) {
        const entry = OuterJoinKey.decode(stored);
        // Kafka reads the next record before noticing both sides are open: it becomes the hint.
        time.minTime = entry.timestamp;
        if (open.left && open.right) break;
        if (entry.timestamp + lookBack(entry.side) + o.graceMs >= time.streamTime) {
          open[entry.side] = true;
          continue;
        }
        const key = o.keySerde.deserialize(entry.key);
        const serde = (entry.side === 'left' ? o.leftSerde : o.rightSerde) as Serde<unknown>;
        for (const bytes of decodeValueList(value)) {
          const v = serde.deserialize(bytes);
          const out = entry.side === 'left' ? o.joiner(v as TLeft, null, key) : o.joiner(null, v as TRight, key);
          context.forward({ ...record, key, value: out, timestamp: entry.timestamp });
        }
        store.delete(stored);
      }
    };

    return {
      init: (c) => {
        context = c;
        thisStore = c.getStateStore(o.thisStoreName);
        otherStore = c.getStateStore(o.otherStoreName);
        if (o.outerStoreName !== undefined) {
          const store = c.getStateStore<IndexedBytesStore>(o.outerStoreName);
          outerStore = store;
          time = streamTimeOf(store);
        }
      },
      process: (record) => {
        const ts = record.timestamp;
        time.streamTime = Math.max(time.streamTime, ts);
        if (record.value === null || record.value === undefined) return;
        if (record.key === null || record.key === undefined) {
          if (o.outer) context.forward({ ...record, value: join(record.value, null, record.key) });
          return;
        }
        if (outerStore !== undefined && ts === time.streamTime) emitExpired(record);
        const keyBytes = o.keySerde.serialize(record.key);
        thisStore.put(keyBytes, thisSerde.serialize(record.value), ts);
        const matches = otherStore.fetch(keyBytes, ts - before, ts + after);
        for (const match of matches) {
          outerStore?.delete(OuterJoinKey.encode(match.timestamp, otherSide, keyBytes));
          const value = join(record.value, otherSerde.deserialize(match.value), record.key);
          context.forward({ ...record, value, timestamp: Math.max(ts, match.timestamp) });
        }
        if (matches.length > 0 || !o.outer) return;
        // A record whose window has already ended in stream time joins with null at once, grace
        // not counted, as Kafka Streams 3.9.2 does; a partner arriving within grace then joins
        // too (KAFKA-19536 would wait for the grace period instead).
        if (outerStore === undefined || ts + after < time.streamTime) {
          context.forward({ ...record, value: join(record.value, null, record.key) });
          return;
        }
        time.minTime = Math.min(time.minTime ?? ts, ts);
        const stored = OuterJoinKey.encode(ts, o.side, keyBytes);
        outerStore.put(stored, appendToValueList(outerStore.get(stored), thisSerde.serialize(record.value)));
      },
    };
  }
}
