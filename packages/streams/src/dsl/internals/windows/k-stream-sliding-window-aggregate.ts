import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { StreamRecord } from '../../../processor/record.js';
import type { ValueAndTimestamp } from '../../../state/typed/typed-key-value-store.js';
import type { SerdeWindowStore } from '../../../state/typed/typed-window-store.js';
import type { DroppedRecordHandler } from '../../grouped.js';
import type { SlidingWindows } from '../../sliding-windows.js';
import type { EmitStrategy, Window, Windowed } from '../../windowed.js';
import type { Change } from '../tables/change.js';
import { isNil, reportDropped } from '../dropped-records.js';
import { EmitFinalTracker } from './emit-final-tracker.js';

export interface KStreamSlidingWindowAggregateOptions<TKey, TValue, TAgg> {
  processorName: string;
  storeName: string;
  windows: SlidingWindows;
  emitStrategy: EmitStrategy;
  initializer: () => TAgg;
  aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg;
  onDropped: DroppedRecordHandler | undefined;
}

type Agg<TAgg> = ValueAndTimestamp<TAgg>;

/**
 * Sliding window aggregation, Kafka's `KStreamSlidingWindowAggregate` (KIP-450), forward
 * iteration variant. Windows are `[start, start + d]` (d = time difference) and exist only where
 * the set of records changes: the "left" window `[t - d, t]` of each record and the "right"
 * window `[t + 1, t + 1 + d]` when a later record falls within it. A new window's aggregate is
 * built from an existing window holding exactly its records (so aggregators need not be
 * invertible). Records earlier than d go into the window `[0, d]`. Stored values carry the
 * highest record timestamp of the window, which the algorithm uses to tell windows apart.
 * Records with a null key or value are skipped, as in Kafka.
 */
export class KStreamSlidingWindowAggregate<TKey, TValue, TAgg> implements ProcessorSupplier<TKey, TValue, Windowed<TKey>, Change<TAgg>> {
  readonly #options: KStreamSlidingWindowAggregateOptions<TKey, TValue, TAgg>;

  constructor(options: KStreamSlidingWindowAggregateOptions<TKey, TValue, TAgg>) {
    this.#options = options;
  }

  get(): Processor<TKey, TValue, Windowed<TKey>, Change<TAgg>> {
    return new SlidingWindowProcessor(this.#options);
  }
}

class SlidingWindowProcessor<TKey, TValue, TAgg> implements Processor<TKey, TValue, Windowed<TKey>, Change<TAgg>> {
  readonly #o: KStreamSlidingWindowAggregateOptions<TKey, TValue, TAgg>;
  readonly #d: number;
  readonly #tracker = new EmitFinalTracker();
  #context!: ProcessorContext<Windowed<TKey>, Change<TAgg>>;
  #store!: SerdeWindowStore<TKey, Agg<TAgg>>;
  #observed = -1;

  constructor(options: KStreamSlidingWindowAggregateOptions<TKey, TValue, TAgg>) {
    this.#o = options;
    this.#d = options.windows.timeDifferenceMs;
  }

  init(context: ProcessorContext<Windowed<TKey>, Change<TAgg>>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.#o.storeName);
    // Every window starts at or before the record that made it, so after a restart the store's
    // highest start is a lower bound of the stream time reached before.
    this.#observed = this.#store.highestWindowStart();
    if (this.#o.emitStrategy === 'onWindowClose' && this.#observed >= 0) this.#tracker.resume(this.#observed - this.#o.windows.graceMs);
  }

  process(record: StreamRecord<TKey, TValue>): void {
    if (isNil(record.key) || isNil(record.value)) {
      reportDropped(this.#o.onDropped, this.#o.processorName, isNil(record.key) ? 'null-key' : 'null-value', record);
      return;
    }
    const t = record.timestamp;
    this.#observed = Math.max(this.#observed, t);
    const closeTime = this.#observed - this.#o.windows.graceMs;
    if (this.#o.emitStrategy === 'onWindowClose') this.#emitClosed(closeTime, record);
    if (t + 1 + this.#d <= closeTime) {
      reportDropped(this.#o.onDropped, this.#o.processorName, 'late', record, { start: t - this.#d, end: t });
      return;
    }
    if (t < this.#d) this.#processEarly(record, closeTime);
    else this.#processInOrder(record, closeTime);
  }

  #processInOrder(record: StreamRecord<TKey, TValue>, closeTime: number): void {
    const t = record.timestamp;
    const starts = new Set<number>();
    let leftAgg: Agg<TAgg> | undefined;
    let rightAgg: Agg<TAgg> | undefined;
    let leftCreated = false;
    let rightCreated = false;
    let previous: number | undefined;
    // Newest window first, as Kafka does with its default (RocksDB) stores: the order of the
    // updates it forwards is part of its answers (issue 18).
    for (const w of this.#store.fetchRange(record.key, Math.max(0, t - 2 * this.#d), t + 1).reverse()) {
      const start = w.windowStart;
      const end = start + this.#d;
      starts.add(start);
      if (start === t + 1) {
        rightCreated = true;
      } else if (end > t) {
        if (start > t) throw new Error(`unexpected sliding window starting at ${start} for a record at ${t}`);
        rightAgg ??= w.value;
        this.#update({ start, end }, w.value, false, record, closeTime);
      } else if (end === t) {
        leftCreated = true;
        if (w.value.timestamp < t) previous = w.value.timestamp;
        this.#update({ start, end }, w.value, false, record, closeTime);
      } else {
        leftAgg = w.value;
        previous = w.value.timestamp;
        break;
      }
    }
    if (previous !== undefined && !starts.has(previous + 1) && previous + 1 + this.#d >= t) {
      this.#createWindow(previous + 1, record, closeTime);
    }
    if (!leftCreated) {
      const fromLeft = previous !== undefined && t - this.#d <= previous;
      const base = fromLeft ? { value: leftAgg!.value, timestamp: t } : { value: this.#o.initializer(), timestamp: t };
      this.#update({ start: t - this.#d, end: t }, base, true, record, closeTime);
    }
    if (!rightCreated && rightAgg !== undefined && rightAgg.timestamp > t) this.#createRightWindow(rightAgg, record);
  }

  /** Records before d: their left window would start below 0, so they share `[0, d]`. */
  #processEarly(record: StreamRecord<TKey, TValue>, closeTime: number): void {
    const t = record.timestamp;
    const starts = new Set<number>();
    let combined: Agg<TAgg> | undefined;
    let rightAgg: Agg<TAgg> | undefined;
    let rightCreated = false;
    let previous: number | undefined;
    for (const w of this.#store.fetchRange(record.key, 0, t + 1)) {
      const start = w.windowStart;
      starts.add(start);
      if (start === 0) {
        combined = w.value;
        if (w.value.timestamp < t) previous = w.value.timestamp;
      } else if (start <= t) {
        rightAgg = w.value;
        this.#update({ start, end: start + this.#d }, w.value, false, record, closeTime);
      } else if (start === t + 1) {
        rightCreated = true;
      } else {
        throw new Error(`unexpected sliding window starting at ${start} for an early record at ${t}`);
      }
    }
    // Without a right window, the combined window holds exactly this record's right window's records.
    if (rightAgg === undefined && combined !== undefined && combined.timestamp > t) rightAgg = combined;
    if (!rightCreated && rightAgg !== undefined && rightAgg.timestamp > t) this.#createRightWindow(rightAgg, record);
    if (previous !== undefined && !starts.has(previous + 1)) this.#createWindow(previous + 1, record, closeTime);
    const base = combined ?? { value: this.#o.initializer(), timestamp: t };
    this.#update({ start: 0, end: this.#d }, base, combined === undefined, record, closeTime);
  }

  /** A window that did not exist, starting from the initializer, then updated with the record. */
  #createWindow(start: number, record: StreamRecord<TKey, TValue>, closeTime: number): void {
    this.#update({ start, end: start + this.#d }, { value: this.#o.initializer(), timestamp: record.timestamp }, true, record, closeTime);
  }

  /** The record's right window, holding the records after it (not the record itself). */
  #createRightWindow(rightAgg: Agg<TAgg>, record: StreamRecord<TKey, TValue>): void {
    const window = { start: record.timestamp + 1, end: record.timestamp + 1 + this.#d };
    this.#store.put(record.key, rightAgg, window.start);
    this.#forward(record, window, { newValue: rightAgg.value, oldValue: null }, rightAgg.timestamp);
  }

  /** Adds the record to a window (existing, or new from `base`), unless the window is closed. */
  #update(window: Window, base: Agg<TAgg>, isNew: boolean, record: StreamRecord<TKey, TValue>, closeTime: number): void {
    if (window.end < closeTime) {
      reportDropped(this.#o.onDropped, this.#o.processorName, 'late', record, window);
      return;
    }
    const newValue = this.#o.aggregator(record.key, record.value, base.value) ?? null;
    const timestamp = Math.max(record.timestamp, base.timestamp);
    this.#store.put(record.key, newValue === null ? null : { value: newValue, timestamp }, window.start);
    this.#forward(record, window, { newValue, oldValue: isNew ? null : base.value }, timestamp);
  }

  #forward(record: StreamRecord<TKey, TValue>, window: Window, change: Change<TAgg>, timestamp: number): void {
    if (this.#o.emitStrategy === 'onWindowClose') return;
    this.#context.forward({ ...record, key: { key: record.key, window }, value: change, timestamp });
  }

  /** Windows `[s, s + d]` close when `s + d < closeTime`: emit starts in [lastClose - d, closeTime - d - 1]. */
  #emitClosed(closeTime: number, trigger: StreamRecord<TKey, TValue>): void {
    const upper = closeTime - this.#d - 1;
    if (upper < 0) return;
    const previous = this.#tracker.lastCloseTime;
    if (!this.#tracker.advance(closeTime)) return;
    const lower = previous === undefined ? 0 : Math.max(0, previous - this.#d);
    for (const w of this.#store.windowsBetween(lower, upper)) {
      const window = { start: w.windowStart, end: w.windowStart + this.#d };
      this.#context.forward({ key: { key: w.key, window }, value: { newValue: w.value.value, oldValue: null }, timestamp: w.value.timestamp, headers: trigger.headers });
    }
  }
}
