import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { StreamRecord } from '../../../processor/record.js';
import type { SerdeSessionStore } from '../../../state/typed/typed-session-store.js';
import type { DroppedRecordHandler } from '../../grouped.js';
import type { SessionWindows } from '../../session-windows.js';
import type { EmitStrategy, Window, Windowed } from '../../windowed.js';
import type { Change } from '../tables/change.js';
import { isNil, reportDropped } from '../dropped-records.js';
import { EmitFinalTracker } from './emit-final-tracker.js';

export interface KStreamSessionWindowAggregateOptions<TKey, TValue, TAgg> {
  processorName: string;
  storeName: string;
  windows: SessionWindows;
  emitStrategy: EmitStrategy;
  initializer: () => TAgg;
  aggregator: (key: TKey, value: TValue, aggregate: TAgg) => TAgg;
  merger: (key: TKey, left: TAgg, right: TAgg) => TAgg;
  /** True for reduce: a null value has nothing to combine. */
  skipNullValues: boolean;
  onDropped: DroppedRecordHandler | undefined;
}

/**
 * Session window aggregation (Kafka's `KStreamSessionWindowAggregate`). A record at t joins
 * every session of its key within the inactivity gap (ending at or after t - gap, starting at or
 * before t + gap): their aggregates are merged into one (from the initializer, with `merger`),
 * the record is added, and the merged session replaces them. Each replaced session is forwarded
 * as a tombstone, then the merged session (record timestamps: the sessions' ends). Sessions
 * ending before `closeTime = observed - grace - gap` are closed, and a record whose (merged)
 * session would end before it is late; as in Kafka, a session ending at `closeTime` is no longer
 * merged into either (it has left the store's retention).
 */
export class KStreamSessionWindowAggregate<TKey, TValue, TAgg> implements ProcessorSupplier<TKey, TValue, Windowed<TKey>, Change<TAgg>> {
  readonly #options: KStreamSessionWindowAggregateOptions<TKey, TValue, TAgg>;

  constructor(options: KStreamSessionWindowAggregateOptions<TKey, TValue, TAgg>) {
    this.#options = options;
  }

  get(): Processor<TKey, TValue, Windowed<TKey>, Change<TAgg>> {
    const o = this.#options;
    const { inactivityGapMs: gap, graceMs } = o.windows;
    const emitFinal = o.emitStrategy === 'onWindowClose';
    const tracker = new EmitFinalTracker();
    let context: ProcessorContext<Windowed<TKey>, Change<TAgg>>;
    let store: SerdeSessionStore<TKey, TAgg>;
    let observed = -1;

    const forward = (trigger: StreamRecord<unknown, unknown>, key: Windowed<TKey>, change: Change<TAgg>): void =>
      context.forward({ key, value: change, timestamp: key.window.end, headers: trigger.headers });

    // Sessions `[s, e]` close when `e < closeTime`: emit ends in [lastClose, closeTime - 1].
    const emitClosed = (closeTime: number, trigger: StreamRecord<TKey, TValue>): void => {
      const upper = closeTime - 1;
      if (upper < 0) return;
      const previous = tracker.lastCloseTime;
      if (!tracker.advance(closeTime)) return;
      // Kafka's time-ordered session store lists by end, then start, then key (issue 18).
      const closed = store.sessionsEndingBetween(Math.max(0, previous ?? 0), upper);
      closed.sort((a, b) => a.key.window.end - b.key.window.end || a.key.window.start - b.key.window.start);
      for (const session of closed) {
        forward(trigger, session.key, { newValue: session.value, oldValue: null });
      }
    };

    return {
      init: (c) => {
        context = c;
        store = c.getStateStore(o.storeName);
        // Sessions end at or before the stream time that made them: after a restart, a lower bound of it.
        observed = store.highestSessionEnd();
        if (emitFinal && observed >= 0) tracker.resume(observed - graceMs - gap);
      },
      process: (record) => {
        if (isNil(record.key) || (o.skipNullValues && isNil(record.value))) {
          reportDropped(o.onDropped, o.processorName, isNil(record.key) ? 'null-key' : 'null-value', record);
          return;
        }
        const t = record.timestamp;
        observed = Math.max(observed, t);
        const closeTime = observed - graceMs - gap;
        // Kafka's session store stops returning a session once it ends before stream time minus
        // its retention (gap + grace) plus one, i.e. at `closeTime` already, one ms before the
        // session counts as closed: a record then starts a new session beside it instead of
        // merging (issue 18, checked by the differential suite).
        const found = store.findSessions(record.key, t - gap, t + gap).filter((s) => s.key.window.end > closeTime);
        let window: Window = { start: t, end: t };
        let aggregate = o.initializer();
        for (const session of found) {
          aggregate = o.merger(record.key, aggregate, session.value);
          window = { start: Math.min(window.start, session.key.window.start), end: Math.max(window.end, session.key.window.end) };
        }
        if (window.end < closeTime) {
          if (emitFinal) emitClosed(closeTime, record);
          reportDropped(o.onDropped, o.processorName, 'late', record, window);
          return;
        }
        if (window.start !== t || window.end !== t) {
          for (const session of found) {
            store.remove(session.key);
            if (!emitFinal) forward(record, session.key, { newValue: null, oldValue: session.value });
          }
        }
        // Emitting after the removals (sessions merged away are not final) but before the put,
        // which could otherwise move closed sessions out of retention before they are emitted.
        if (emitFinal) emitClosed(closeTime, record);
        aggregate = o.aggregator(record.key, record.value, aggregate);
        if (isNil(aggregate)) return; // a null aggregate leaves no session behind
        const sessionKey = { key: record.key, window };
        store.put(sessionKey, aggregate);
        if (!emitFinal) forward(record, sessionKey, { newValue: aggregate, oldValue: null });
      },
    };
  }
}
