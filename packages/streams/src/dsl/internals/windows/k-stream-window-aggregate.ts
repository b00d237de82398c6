import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { StreamRecord } from '../../../processor/record.js';
import type { ValueAndTimestamp } from '../../../state/typed/typed-key-value-store.js';
import type { SerdeWindowStore } from '../../../state/typed/typed-window-store.js';
import type { DroppedRecordHandler } from '../../grouped.js';
import type { TimeWindows } from '../../time-windows.js';
import type { EmitStrategy, Windowed } from '../../windowed.js';
import type { Change } from '../tables/change.js';
import { isNil, reportDropped } from '../dropped-records.js';
import { EmitFinalTracker } from './emit-final-tracker.js';

export interface KStreamWindowAggregateOptions<TKey, TValue, TAgg> {
  processorName: string;
  storeName: string;
  windows: TimeWindows;
  emitStrategy: EmitStrategy;
  initializer: () => TAgg;
  aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg;
  /** True for reduce: a null value has nothing to combine (Kafka passes it to the aggregator). */
  skipNullValues: boolean;
  onDropped: DroppedRecordHandler | undefined;
}

/**
 * Tumbling and hopping window aggregation (Kafka's `KStreamWindowAggregate`). The processor
 * tracks the highest timestamp it has seen (observed stream time; after a restart it starts from
 * the highest window start in its store, which Kafka does not do); a window still accepts
 * records while its end is after `observed - grace`, otherwise the record is late for it and
 * dropped (reported per window). Each updated window is forwarded as (new, old) with the
 * highest timestamp folded into it — or, with 'onWindowClose', nothing is forwarded on update
 * and each window's final value is forwarded once, when close time passes its end.
 */
export class KStreamWindowAggregate<TKey, TValue, TAgg> implements ProcessorSupplier<TKey, TValue, Windowed<TKey>, Change<TAgg>> {
  readonly #options: KStreamWindowAggregateOptions<TKey, TValue, TAgg>;

  constructor(options: KStreamWindowAggregateOptions<TKey, TValue, TAgg>) {
    this.#options = options;
  }

  get(): Processor<TKey, TValue, Windowed<TKey>, Change<TAgg>> {
    const { processorName, storeName, windows, emitStrategy, initializer, aggregator, skipNullValues, onDropped } = this.#options;
    const emitFinal = emitStrategy === 'onWindowClose';
    const tracker = new EmitFinalTracker();
    let context: ProcessorContext<Windowed<TKey>, Change<TAgg>>;
    let store: SerdeWindowStore<TKey, ValueAndTimestamp<TAgg>>;
    let observed = -1;

    /**
     * Kafka's emit-final pass (AbstractKStreamTimeWindowAggregateProcessor#maybeForwardFinalResult
     * with its wall-clock throttle at 0), for the same answers (issue 18): windows closed since
     * the last pass start in (lastClose - size, closeTime - size], and a pass that cannot reach a
     * new window start does not count as one. One deliberate difference: the pass runs before
     * the record's writes, so a window is emitted even when those writes move it out of the
     * store's retention; Kafka, passing after them, loses its final result (packages/streams
     * README, "Deliberate differences").
     */
    const emitClosed = (closeTime: number, trigger: StreamRecord<TKey, TValue>): void => {
      const previous = tracker.lastCloseTime;
      if (previous !== undefined && previous >= closeTime) return;
      const upper = closeTime - windows.sizeMs;
      if (upper < 0) return;
      // Kafka's last close time is always at least one size (its first pass has upper >= 0); one
      // resumed after a restart (EmitFinalTracker.resume) may be lower and then counts as none.
      const since = previous !== undefined && previous >= windows.sizeMs ? previous : undefined;
      const lower = since === undefined ? 0 : since - windows.sizeMs + 1;
      if (since !== undefined && windows.windowsFor(upper)[0]?.start === windows.windowsFor(lower - 1)[0]?.start) return;
      tracker.advance(closeTime);
      for (const w of store.windowsBetween(lower, upper)) {
        const window = { start: w.windowStart, end: w.windowStart + windows.sizeMs };
        context.forward({ key: { key: w.key, window }, value: { newValue: w.value.value, oldValue: null }, timestamp: w.value.timestamp, headers: trigger.headers });
      }
    };

    return {
      init: (c) => {
        context = c;
        store = c.getStateStore(storeName);
        // After a restart the store still knows how far time went (a window starts at or before
        // its record): seeding with it keeps windows closed before the crash closed.
        observed = store.highestWindowStart();
        if (emitFinal && observed >= 0) tracker.resume(observed - windows.graceMs);
      },
      process: (record) => {
        if (isNil(record.key) || (skipNullValues && isNil(record.value))) {
          reportDropped(onDropped, processorName, isNil(record.key) ? 'null-key' : 'null-value', record);
          return;
        }
        observed = Math.max(observed, record.timestamp);
        const closeTime = observed - windows.graceMs;
        // Before the writes: they could move closed windows out of retention (see emitClosed).
        if (emitFinal) emitClosed(closeTime, record);
        for (const window of windows.windowsFor(record.timestamp)) {
          if (window.end <= closeTime) {
            reportDropped(onDropped, processorName, 'late', record, window);
            continue;
          }
          const old = store.fetch(record.key, window.start);
          const timestamp = old === undefined ? record.timestamp : Math.max(record.timestamp, old.timestamp);
          const newValue = aggregator(record.key, record.value, old === undefined ? initializer() : old.value) ?? null;
          store.put(record.key, newValue === null ? null : { value: newValue, timestamp }, window.start);
          if (emitFinal) continue;
          const oldValue = old === undefined ? null : old.value;
          context.forward({ ...record, key: { key: record.key, window }, timestamp, value: { newValue, oldValue } });
        }
      },
    };
  }
}
