// Window types live with the stores that index by them; the DSL re-exports them.
export type { Window, Windowed } from '../state/window.js';

/** When a windowed aggregation forwards results (Kafka's `EmitStrategy`, KIP-825). */
export type EmitStrategy =
  /** Every update of a window, as it happens (the default). */
  | 'onWindowUpdate'
  /** Each window's final result, once, when stream time passes its end plus the grace period. */
  | 'onWindowClose';
