/**
 * A window's bounds in ms since the epoch. Time windows are half-open `[start, end)`; sliding
 * and session windows include both bounds `[start, end]` (Kafka's conventions).
 */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** The key of a windowed aggregation's result: the grouping key and its window (Kafka's `Windowed<K>`). */
export interface Windowed<TKey> {
  readonly key: TKey;
  readonly window: Window;
}

/** When a windowed aggregation forwards results (Kafka's `EmitStrategy`, KIP-825). */
export type EmitStrategy =
  /** Every update of a window, as it happens (the default). */
  | 'onWindowUpdate'
  /** Each window's final result, once, when stream time passes its end plus the grace period. */
  | 'onWindowClose';
