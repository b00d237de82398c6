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
